from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from evidence import watch
from evidence.models import WatchRun


class Command(BaseCommand):
    help = (
        "Check every reference cited by a live or in-review page in PubMed and Crossref, and "
        "run every page's saved search, now. Resumes a run that stopped. Exits 1 when a source "
        "kept failing (the next run resumes)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue", action="store_true", help="Hand the run to the background worker."
        )
        parser.add_argument(
            "--replay-demo",
            action="store_true",
            help="Run against the recorded answers over the demo library (development only).",
        )

    def handle(self, *args, queue=False, replay_demo=False, **options):
        if queue:
            from evidence.tasks import watch_evidence

            result = watch_evidence.enqueue()
            self.stdout.write(f"Queued the evidence watch ({result.id}).")
            return
        run = self._replay() if replay_demo else watch.run()
        self._report(run)
        if run.status != WatchRun.Status.DONE:
            raise CommandError(f"The watch stopped: {run.problem}")

    def _replay(self):
        from evidence import demo

        if not settings.DEBUG:
            raise CommandError("--replay-demo marks demo references: run it with DEBUG on.")
        run, page = demo.replay()
        self.stdout.write(
            f"Replayed the recorded PubMed and Crossref answers over {page.get_absolute_url()}; "
            "sign in as ben.soffer to see the evidence inbox."
        )
        return run

    def _report(self, run):
        self.stdout.write(
            f"Checked {run.references} cited references: {run.efetch_calls} PubMed efetch "
            f"call(s), {run.crossref_calls} Crossref call(s), {run.findings} new finding(s)."
        )
