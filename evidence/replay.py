"""PubMed's E-utilities and Crossref's REST API answered from recorded answers, on 127.0.0.1.

The recorded answers (evidence/recorded/) hold a retracted paper, an expression of concern, an
erratum, a corrected-and-republished trial, a Cochrane review with a newer version, a clean
record, the records a saved search finds, and Crossref records with only ``updated-by`` and only
``update-to``. A PMID or DOI the recordings lack is answered as a clean record of its own, so a
library of any size can be checked. `watch_evidence --replay-demo` runs the watch against it; the
tests use it to count requests, time them and make them fail.

    with RecordedSources() as sources:
        settings.PUBMED_EUTILS_URL = sources.eutils_url
        settings.CROSSREF_API_URL = sources.crossref_url
"""

import copy
import json
import threading
import time
from dataclasses import dataclass
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit
from xml.etree import ElementTree as PlainTree

from defusedxml import ElementTree

RECORDED = Path(__file__).parent / "recorded"
CLEAN_PMID = "31000005"
CLEAN_WORK = "clean.json"


@dataclass(frozen=True)
class Call:
    path: str
    params: dict
    at: float  # time.monotonic()

    @property
    def utility(self) -> str:
        """efetch, esearch, esummary or works."""
        name = self.path.rstrip("/").split("/")[-1]
        return "works" if "/works/" in self.path else name.removesuffix(".fcgi")

    @property
    def ids(self) -> list[str]:
        return [i for i in self.params.get("id", [""])[0].split(",") if i]


class RecordedSources:
    def __init__(self, *, aliases=None, doi_aliases=None):
        # aliases: a PMID to answer with a recorded record's notices ({"23783065": "31000002"}).
        self.aliases = dict(aliases or {})
        self.doi_aliases = dict(doi_aliases or {})
        self.articles, self.entry_dates = {}, {}
        for name in ("efetch-cited.xml", "efetch-new-records.xml"):
            self._load_articles(RECORDED / "pubmed" / name, new=name.startswith("efetch-new"))
        self.works = {}
        for path in (RECORDED / "crossref").glob("*.json"):
            answer = json.loads(path.read_text())
            self.works[answer["message"]["DOI"].lower()] = answer
        self.clean_work = json.loads((RECORDED / "crossref" / CLEAN_WORK).read_text())
        self.esummary = json.loads((RECORDED / "pubmed" / "esummary.json").read_text())
        self.calls: list[Call] = []
        self.failures: list[int] = []  # statuses to answer the next requests with
        self.fail_after: int | None = None  # answer 503 to every request past this many
        self._lock = threading.Lock()
        self._server = None

    # Running

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        sources = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                sources._answer(self)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def eutils_url(self) -> str:
        return f"{self.origin}/entrez/eutils/"

    @property
    def crossref_url(self) -> str:
        return f"{self.origin}/crossref/"

    def calls_to(self, utility: str) -> list[Call]:
        return [call for call in self.calls if call.utility == utility]

    # Answering

    def _answer(self, request):
        url = urlsplit(request.path)
        params = parse_qs(url.query)
        with self._lock:
            self.calls.append(Call(url.path, params, time.monotonic()))
            status = self._failure()
        if status:
            return _send(request, status, b"busy", "text/plain", {"Retry-After": "0"})
        if url.path.endswith("/efetch.fcgi"):
            return _send(request, 200, self._efetch(params), "text/xml")
        if url.path.endswith("/esearch.fcgi"):
            return _send(request, 200, self._esearch(params), "application/json")
        if url.path.endswith("/esummary.fcgi"):
            return _send(request, 200, self._esummary(params), "application/json")
        if "/works/" in url.path:
            work = self._work(unquote(url.path.split("/works/", 1)[1]))
            if work is None:
                return _send(request, 404, b"Resource not found.", "text/plain")
            return _send(request, 200, work, "application/json")
        return _send(request, 404, b"", "text/plain")

    def _failure(self) -> int:
        if self.failures:
            return self.failures.pop(0)
        if self.fail_after is not None and len(self.calls) > self.fail_after:
            return 503
        return 0

    def _efetch(self, params) -> bytes:
        ids = params.get("id", [""])[0].split(",")
        articles = [self._article(pmid) for pmid in ids if pmid]
        body = b"".join(PlainTree.tostring(article) for article in articles)
        return b'<?xml version="1.0" ?>\n<PubmedArticleSet>' + body + b"</PubmedArticleSet>\n"

    def _article(self, pmid):
        recorded = self.articles.get(self.aliases.get(pmid, pmid))
        article = copy.deepcopy(recorded if recorded is not None else self.articles[CLEAN_PMID])
        article.find("MedlineCitation/PMID").text = pmid
        return article

    def _esearch(self, params) -> bytes:
        since = _day(params.get("mindate", ["1900/01/01"])[0])
        through = _day(params.get("maxdate", ["2999/12/31"])[0])
        ids = sorted(
            (pmid for pmid, entered in self.entry_dates.items() if since <= entered <= through),
            reverse=True,
        )
        answer = {
            "header": {"type": "esearch", "version": "0.3"},
            "esearchresult": {"count": str(len(ids)), "retstart": "0", "idlist": ids},
        }
        return json.dumps(answer).encode()

    def _esummary(self, params) -> bytes:
        ids = params.get("id", [""])[0].split(",")
        result = {
            uid: self.esummary["result"][uid] for uid in ids if uid in self.esummary["result"]
        }
        return json.dumps({"result": {"uids": list(result), **result}}).encode()

    def _work(self, doi: str) -> bytes | None:
        if doi.lower().startswith("10.5555/missing"):
            return None
        recorded = self.works.get(self.doi_aliases.get(doi, doi).lower())
        answer = copy.deepcopy(recorded or self.clean_work)
        answer["message"]["DOI"] = doi
        for update in answer["message"].get("update-to", []):
            if recorded is not None and update["DOI"].lower() == recorded["message"]["DOI"].lower():
                update["DOI"] = doi  # an update of the work itself stays one under the alias
        return json.dumps(answer).encode()

    def _load_articles(self, path: Path, *, new: bool):
        for article in ElementTree.parse(path).getroot().iter("PubmedArticle"):
            pmid = article.findtext("MedlineCitation/PMID")
            self.articles[pmid] = article
            if new:
                entered = article.find("PubmedData/History/PubMedPubDate[@PubStatus='entrez']")
                self.entry_dates[pmid] = date(
                    *(int(entered.findtext(part)) for part in ("Year", "Month", "Day"))
                )


def _day(text: str) -> date:
    year, month, day = (int(part) for part in text.split("/"))
    return date(year, month, day)


def _send(request, status, body: bytes, content_type: str, headers=None):
    request.send_response(status)
    request.send_header("Content-Type", content_type)
    request.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        request.send_header(name, value)
    request.end_headers()
    request.wfile.write(body)
