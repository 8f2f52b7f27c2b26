from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cases.stage_registry import stages
from demo.deadlines import seed as seed_deadlines
from partnerships.demo import seed_people
from partnerships.models import Partnership


class Command(BaseCommand):
    help = "Seeds the invented demo partnership, its agencies, a person for every role and demo cases."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when any partnership exists")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo data is never seeded under production settings.")
        if Partnership.objects.exists():
            if options["if_empty"]:
                self.stdout.write("The database already holds data; demo seeding skipped.")
                return
            raise CommandError("The database already holds partnerships; demo data goes only into an empty one.")
        with transaction.atomic():
            world = seed_people()
            # The deadline demo first: its cases take the year's first references (NSCP-<year>-0001
            # to 0006), then each stage brings its own demo data (its `seed`), in INSTALLED_APPS order.
            seed_deadlines(world)
            for stage in stages():
                if stage.seed is not None:
                    stage.seed(world)
        self.stdout.write(self.style.SUCCESS(f"Seeded {world.partnership.name} with {len(world.users)} demo people."))
