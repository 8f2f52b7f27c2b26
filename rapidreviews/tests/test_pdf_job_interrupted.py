"""A PDF whose worker stopped in the middle is made again (or, after too many tries, said to have
failed with a button to try again): the document page never says "being generated" for ever."""

import subprocess
import sys
from typing import Any

import pytest
from django.db import connection
from django.tasks import TaskResultStatus
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import SignIn, World
from core.task_recovery import MAX_ATTEMPTS, tasks_recover
from core.task_recovery import _host as this_host
from rapidreviews.models import RapidReview
from rapidreviews.tests.helpers import hold_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def meeting_held(world: World, asked: RapidReview) -> None:
    """The document is made once the meeting has been held."""
    hold_meeting(world, asked)


def stopped_worker_id() -> str:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return f"{this_host()}:{process.pid}:abc123"


def ask_for_the_pdf(client: Any, review: RapidReview) -> tuple[str, str]:
    ref = review.case.reference
    response = client.post(f"/rapid-reviews/{ref}/document/generate/", {"format": "pdf"})
    job_id = response["Location"].split("?pdf=")[1]
    return job_id, f"/rapid-reviews/{ref}/document/"


def worker_stopped_while_running(job_id: str, *, times: int = 1) -> None:
    job = DBTaskResult.objects.get(pk=job_id)
    job.status = TaskResultStatus.RUNNING
    job.started_at = timezone.now()
    job.worker_ids = [*job.worker_ids, *(stopped_worker_id() for _ in range(times))]
    job.save()


def test_a_pdf_whose_worker_was_killed_is_made_again_and_the_page_says_so(
    world: World, signed_in: SignIn, asked: RapidReview, database_queue: None, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(world.people["coordinator"])
    job_id, page_url = ask_for_the_pdf(client, asked)
    with CaptureQueriesContext(connection) as following:
        client.get(f"{page_url}?pdf={job_id}")
    worker_stopped_while_running(job_id)

    # The page (or its script) asking finds the worker gone: the job goes back to the queue, for
    # at most two queries more than following a job.
    with django_assert_max_num_queries(len(following.captured_queries) + 2):
        page = client.get(f"{page_url}?pdf={job_id}").content.decode()
    assert DBTaskResult.objects.get(pk=job_id).status == TaskResultStatus.READY
    assert "The first attempt to make the PDF was interrupted" in page
    assert "It is being made again" in page
    assert "data-poll-url" in page, "the page keeps following the job"
    answer = client.get(f"{page_url}status/?pdf={job_id}").json()
    assert answer == {"status": "running", "interrupted": True}


def test_a_pdf_interrupted_too_many_times_is_said_to_have_failed_with_a_way_to_try_again(
    world: World, signed_in: SignIn, asked: RapidReview, database_queue: None
) -> None:
    client = signed_in(world.people["coordinator"])
    job_id, page_url = ask_for_the_pdf(client, asked)
    worker_stopped_while_running(job_id, times=MAX_ATTEMPTS)
    tasks_recover()

    page = client.get(f"{page_url}?pdf={job_id}").content.decode()

    assert DBTaskResult.objects.get(pk=job_id).status == TaskResultStatus.FAILED
    assert "The PDF could not be made: the service stopped while making it" in page
    assert "data-poll-url" not in page
    assert 'name="format" value="pdf"' in page and "Generate an accessible PDF" in page
    assert client.get(f"{page_url}status/?pdf={job_id}").json() == {"status": "failed", "interrupted": True}


def test_a_pdf_still_being_made_by_a_running_worker_is_just_being_made(
    world: World, signed_in: SignIn, asked: RapidReview, database_queue: None
) -> None:
    client = signed_in(world.people["coordinator"])
    job_id, page_url = ask_for_the_pdf(client, asked)
    worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "task_worker"])
    try:
        job = DBTaskResult.objects.get(pk=job_id)
        job.status, job.started_at = TaskResultStatus.RUNNING, timezone.now()
        job.worker_ids = [f"{this_host()}:{worker.pid}:abc123"]
        job.save()
        page = client.get(f"{page_url}?pdf={job_id}").content.decode()
    finally:
        worker.kill()
        worker.wait()
    assert DBTaskResult.objects.get(pk=job_id).status == TaskResultStatus.RUNNING
    assert "The PDF is being generated" in page
    assert "interrupted" not in page
