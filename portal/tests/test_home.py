from django.test import Client

from conftest import SignIn, World


def test_home_sends_anonymous_people_to_sign_in(db: None, client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_home_shows_a_signed_in_coordinator_their_tasks(world: World, signed_in: SignIn) -> None:
    client = signed_in(world.people["coordinator"])
    response = client.get("/")
    assert response.status_code == 200
    assert b"What you need to do next" in response.content
    assert b"Invite people" in response.content
