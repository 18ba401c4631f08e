"""Publish the large bench library's other pages as renumbered copies of workflow publications.

A publish through reviews.workflow costs about a third of a second of CPU (the document built
and checked twice, markdown and the sanitizer over every field, four renderings), so 10,000
pages would take most of an hour on two cores, and far longer on a busy machine. generate()
therefore publishes one page in every `stride` through the workflow, and this module gives each
other page the records its nearest workflow page got, in SQL: sign-off, publication, live
pointer, renderings, search entry (its vector computed again), treatment and code listings,
review state, evidence status, surrogate keys and English units. Text that names the page
(slug, title, citekeys, "condition 42", the page's and publication's ids in keys) is renumbered.

What a copy is not: its signature and digests are those of the page it was copied from, so
verify_library and a partner checking a signature would reject it. The bench reads pages, it
verifies none. Each copy's drafts (the page, its references, parts) are real rows, written in
bulk like every generated page's.
"""

# ruff: noqa: S608 - the statements are this module's constants; the values are parameters.
from django.db import connection

from conditions.library import SEARCH_VECTOR
from conditions.models import SearchEntry

RENUMBER = """
CREATE FUNCTION pg_temp.renumber(x text, b4 text, n4 text, b text, n text, bid text, nid text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
  -- The page's id first, set aside, so renumbering cannot touch it nor turn a number into it.
  SELECT replace(regexp_replace(
    replace(replace(
      regexp_replace(x, '\\mcondition-' || bid || '\\M', 'condition-§id§', 'g'),
      b4, n4), 'bench.' || b || '.', 'bench.' || n || '.'),
    '\\mcondition ' || b || '\\M', 'condition ' || n, 'g'),
    '§id§', nid)
$$
"""

# m: the copies (base_id, new_id and the numbers), ct: the condition content type.
R = "pg_temp.renumber({}, m.b4, m.n4, m.b, m.n, m.bid, m.nid)"

STATEMENTS = [
    f"""INSERT INTO reviews_signoff (object_id, digest, document, signature, meaning, note,
        signed_at, content_type_id, physician_id, source_digest, change_summary,
        clinically_significant)
    SELECT m.new_id, s.digest, {R.format("s.document::text")}::jsonb, s.signature, s.meaning,
        s.note, s.signed_at, s.content_type_id, s.physician_id, s.source_digest,
        s.change_summary, s.clinically_significant
    FROM reviews_signoff s JOIN copies m ON s.object_id = m.base_id
    WHERE s.content_type_id = %(ct)s ORDER BY m.new_id""",
    f"""INSERT INTO reviews_publication (object_id, digest, document, slug, title, published_at,
        content_type_id, published_by_id, sign_off_id, source_digest, key_id, payload,
        signature)
    SELECT m.new_id, p.digest, {R.format("p.document::text")}::jsonb, {R.format("p.slug")},
        {R.format("p.title")}, p.published_at, p.content_type_id, p.published_by_id, s.id,
        p.source_digest, p.key_id, {R.format("p.payload")}, p.signature
    FROM reviews_publication p JOIN copies m ON p.object_id = m.base_id
    JOIN reviews_signoff s ON s.object_id = m.new_id AND s.content_type_id = %(ct)s
    WHERE p.content_type_id = %(ct)s ORDER BY m.new_id""",
    """CREATE TEMPORARY TABLE publication_copies AS
    SELECT p.id AS old_id, n.id AS new_id, m.new_id AS page_id
    FROM copies m
    JOIN reviews_publication p ON p.object_id = m.base_id AND p.content_type_id = %(ct)s
    JOIN reviews_publication n ON n.object_id = m.new_id AND n.content_type_id = %(ct)s""",
    f"""INSERT INTO reviews_livepublication (object_id, slug, live_since, content_type_id,
        publication_id)
    SELECT m.new_id, {R.format("l.slug")}, l.live_since, l.content_type_id, pc.new_id
    FROM reviews_livepublication l JOIN copies m ON l.object_id = m.base_id
    JOIN publication_copies pc ON pc.page_id = m.new_id
    WHERE l.content_type_id = %(ct)s""",
    f"""INSERT INTO conditions_pagerendering (template, version, html, rendered_at,
        publication_id)
    SELECT r.template, r.version, {R.format("r.html")}, r.rendered_at, pc.new_id
    FROM conditions_pagerendering r JOIN publication_copies pc ON r.publication_id = pc.old_id
    JOIN copies m ON m.new_id = pc.page_id
    -- A manifest entry names its publication: the copy's is made on the manifest's first read.
    WHERE r.template <> 'api/manifest-entry.json'""",
    f"""INSERT INTO conditions_searchentry (condition_id, slug, title, summary, codes_line, codes,
        phrases, questions, indication_status, status_label, last_reviewed, reviewed_by,
        publication_id, body, treatment_names)
    SELECT m.new_id, {R.format("e.slug")}, {R.format("e.title")}, {R.format("e.summary")},
        e.codes_line, e.codes, {R.format("e.phrases")}, {R.format("e.questions")},
        e.indication_status, e.status_label, e.last_reviewed, e.reviewed_by, pc.new_id,
        {R.format("e.body")}, e.treatment_names
    FROM conditions_searchentry e JOIN copies m ON e.condition_id = m.base_id
    JOIN publication_copies pc ON pc.page_id = m.new_id""",
    f"""INSERT INTO conditions_treatmentlisting (treatment_slug, name, summary, kind,
        line_of_therapy, line_label, position, entry_id, description_html, description_text)
    SELECT t.treatment_slug, t.name, t.summary, t.kind, t.line_of_therapy, t.line_label,
        t.position, m.new_id, {R.format("t.description_html")},
        {R.format("t.description_text")}
    FROM conditions_treatmentlisting t JOIN copies m ON t.entry_id = m.base_id""",
    """INSERT INTO conditions_codelisting (system, code, root, lookup_only, position, entry_id)
    SELECT c.system, c.code, c.root, c.lookup_only, c.position, m.new_id
    FROM conditions_codelisting c JOIN copies m ON c.entry_id = m.base_id""",
    """INSERT INTO reviews_reviewstate (object_id, state, source_digest, changed_by, updated_at,
        content_type_id, publication_id, sign_off_id)
    SELECT m.new_id, r.state, r.source_digest, r.changed_by, r.updated_at, r.content_type_id,
        pc.new_id, p.sign_off_id
    FROM reviews_reviewstate r JOIN copies m ON r.object_id = m.base_id
    JOIN publication_copies pc ON pc.page_id = m.new_id
    JOIN reviews_publication p ON p.id = pc.new_id
    WHERE r.content_type_id = %(ct)s""",
    """INSERT INTO evidence_pageevidence (object_id, status, reasons, reviewed_through,
        reviewed_through_source, updated_at, content_type_id)
    SELECT m.new_id, e.status, e.reasons, e.reviewed_through, e.reviewed_through_source,
        e.updated_at, e.content_type_id
    FROM evidence_pageevidence e JOIN copies m ON e.object_id = m.base_id
    WHERE e.content_type_id = %(ct)s""",
    f"""INSERT INTO purges_surrogatekeyset (keys, publication_id)
    SELECT regexp_replace({R.format("k.keys")}, '\\mpublication-' || pc.old_id || '\\M',
        'publication-' || pc.new_id, 'g'), pc.new_id
    FROM purges_surrogatekeyset k JOIN publication_copies pc ON k.publication_id = pc.old_id
    JOIN copies m ON m.new_id = pc.page_id""",
    f"""INSERT INTO translations_englishunits (units, publication_id)
    SELECT {R.format("u.units::text")}::jsonb, pc.new_id
    FROM translations_englishunits u JOIN publication_copies pc ON u.publication_id = pc.old_id
    JOIN copies m ON m.new_id = pc.page_id""",
]


def publish_copies(pairs, content_type_id):
    """pairs: (number, page, base number, base page) for each page to publish as a copy of the
    base page, which the workflow has published."""
    with connection.cursor() as cursor:
        cursor.execute(RENUMBER)
        cursor.execute(
            "CREATE TEMPORARY TABLE copies (base_id bigint, new_id bigint PRIMARY KEY, b4 text,"
            " n4 text, b text, n text, bid text, nid text)"
        )
        with cursor.copy("COPY copies FROM STDIN") as copy:
            for number, page, base_number, base in pairs:
                copy.write_row(
                    (
                        base.pk,
                        page.pk,
                        f"{base_number:04d}",
                        f"{number:04d}",
                        str(base_number),
                        str(number),
                        str(base.pk),
                        str(page.pk),
                    )
                )
        cursor.execute("ANALYZE copies")
        for statement in STATEMENTS:
            cursor.execute(statement, {"ct": content_type_id})
        cursor.execute("DROP TABLE copies, publication_copies")
        cursor.execute("DROP FUNCTION pg_temp.renumber")
    SearchEntry.objects.filter(pk__in=[page.pk for _, page, _, _ in pairs]).update(
        vector=SEARCH_VECTOR
    )
