// Verify a page's API detail as stored: node verify_detail.mjs KEYS_URL DETAIL_FILE
// Node's own crypto only. Exits non-zero, saying why, when the detail is not what the site signed.
import { createHash, createPublicKey, verify } from "node:crypto";
import { readFileSync } from "node:fs";

const fail = (why) => { console.error(`not verified: ${why}`); process.exit(1); };
// RFC 8785: members sorted by UTF-16 code units; strings and numbers as JSON.stringify writes them.
const jcs = (value) =>
  Array.isArray(value) ? `[${value.map(jcs).join(",")}]`
  : value !== null && typeof value === "object"
    ? `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${jcs(value[k])}`).join(",")}}`
    : JSON.stringify(value);

const [keysUrl, detailFile] = process.argv.slice(2);
const { keys } = await (await fetch(keysUrl)).json();
const detail = JSON.parse(readFileSync(detailFile, "utf8"));
const block = detail.verification;
const jwk = keys.find((key) => key.kid === block.key_id) ?? fail("unknown key");
const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: jwk.x }, format: "jwk" });
const signature = Buffer.from(block.signature, "base64url");
if (!verify(null, Buffer.from(block.payload, "utf8"), key, signature)) fail("bad signature");
const signed = JSON.parse(block.payload);
// The evidence status changes after signing: it is served beside the signed detail.
const { verification, evidence, ...body } = detail;
const checks = [
  ["slug", signed.slug, detail.slug],
  ["digest", signed.digest, detail.digest],
  ["signature", signed.signature, detail.review.physician.signature],
  ["signed_at", Date.parse(signed.signed_at), Date.parse(detail.review.reviewed_at)],
  ["published_at", Date.parse(signed.published_at), Date.parse(detail.published_at)],
];
if (signed.version === 2) {
  const digest = createHash("sha256").update(jcs(body), "utf8").digest("hex");
  checks.push(["representation_digest", signed.representation_digest, digest]);
}
for (const [name, expected, found] of checks) {
  if (expected !== found) fail(`${name} differs from what the site signed`);
}
console.log(`verified: ${detail.slug} (payload version ${signed.version ?? 1})`);
