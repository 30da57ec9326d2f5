"""A member of a team study without the right for a change gets the server's refusal as one
sentence in the app's error dialog, never a traceback, and nothing is saved."""

from __future__ import annotations

import pytest

from annotator.importers.base import ImportedText
from annotator.services import members as team
from annotator.services.api import Project
from annotator.storage.server_rights import Right
from pg_server import PgServer

pytestmark = pytest.mark.pg

SECRET = "pw-of-the-desk"


def test_a_reader_and_an_annotator_are_told_in_one_sentence(  # type: ignore[no-untyped-def]
    window, error_dialogs, pg_server: PgServer, pg_database: str
) -> None:
    database = pg_database.rsplit("/", 1)[1]
    ann, rea = f"{database}_ann", f"{database}_rea"
    with pg_server.admin() as conn:
        for role in (ann, rea):
            conn.execute(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{SECRET}'")
    text = "The minister said one thing. The archive says another."
    with Project.create(pg_database) as admin:
        team.set_up_rights(admin)
        team.add_member(admin, ann, Right.ANNOTATOR)
        team.add_member(admin, rea, Right.READER)
        doc = admin.add_document(ImportedText(text=text, format="text", title="T"), b"t", "t.txt")
        assert doc.created_id
        document = doc.created_id
        theirs = admin.create_claim(document, 0, 12, admin.label("sourced").id).created_id
        assert theirs
    reader = Project.open(pg_server.url(database, user=rea, password=SECRET))
    assert window.adopt_project(reader, [document])
    label = reader.label("disputed").id
    assert window.claim_actions.create_claim(document, 29, 40, label) == ""
    assert error_dialogs[-1][0] == "You are a reader of this study: you cannot change claims."
    assert reader.annotation_count() == 1
    member = Project.open(pg_server.url(database, user=ann, password=SECRET))
    assert window.adopt_project(member, [document])
    assert not window.claim_actions.relabel_claim(theirs, label)
    assert error_dialogs[-1][0] == (
        "You are an annotator of this study: you can change only your own claims and links."
    )
    assert window.claim_actions.create_claim(document, 29, 40, label)  # her own: saved
    assert member.annotation(theirs).label_id != label
    assert all("Traceback" not in message + details for message, details in error_dialogs)
    window.close_project()
