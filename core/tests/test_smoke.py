from django.test import Client


def test_healthz_answers_ok_once_the_database_answers(db: None, client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
