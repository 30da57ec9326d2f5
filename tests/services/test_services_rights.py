"""Members' rights on a real PostgreSQL server: the server's word on who is who and who may do
what, through the services, the CLI and raw SQL as each member's own login role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest

from annotator.cli.main import main
from annotator.importers.base import ImportedText
from annotator.services import author
from annotator.services import members as team
from annotator.services.api import Project
from annotator.storage.server_rights import Right, RightsError
from pg_server import PgServer

pytestmark = pytest.mark.pg

SECRET = "member's pw"
TEXT = "First claim here. Second claim there. A third claim at the end."


@dataclass
class Team:
    server: PgServer
    database: str
    admin_url: str
    """The superuser's URL (it set the rights up)."""
    roles: dict[str, str]
    """Short name (ann, bob, rea, adm, out) -> login role."""
    document: str

    def url(self, who: str) -> str:
        return self.server.url(self.database, user=self.roles[who], password=SECRET)

    def open(self, who: str) -> Project:
        return Project.open(self.url(who))

    def sql(self, who: str) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1",
            port=self.server.port,
            user=self.roles[who],
            password=SECRET,
            dbname=self.database,
            sslmode="disable",
            autocommit=True,
        )


@pytest.fixture(autouse=True)
def no_chosen_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(author, "_chosen", "")
    monkeypatch.delenv(author.ENVIRONMENT_VARIABLE, raising=False)


@pytest.fixture
def study(pg_server: PgServer, pg_database: str) -> Iterator[Team]:
    """A study whose rights the superuser set up, with login roles (made by "the server's
    admin") for an admin, two annotators, a reader and an outsider; a role name with a quote
    in it, to be quoted right in every GRANT."""
    database = pg_database.rsplit("/", 1)[1]
    roles = {
        "adm": f"{database}_boss",
        "ann": f"{database}_ann",
        "bob": f"{database}_o'brien",
        "rea": f"{database}_rea",
        "out": f"{database}_out",
    }
    with pg_server.admin() as conn:
        for role in roles.values():
            quoted = '"' + role.replace('"', '""') + '"'
            conn.execute(f"CREATE ROLE {quoted} LOGIN PASSWORD {_literal(SECRET)}")
    with Project.create(pg_database) as project:
        groups = team.set_up_rights(project)
        assert groups == [f"{database}_admin", f"{database}_annotator", f"{database}_reader"]
        data = TEXT.encode()
        doc = project.add_document(ImportedText(text=TEXT, format="text", title="T"), data, "t.txt")
        assert doc.created_id
        team.add_member(project, roles["adm"], Right.ADMIN)
        team.add_member(project, roles["ann"], Right.ANNOTATOR)
        team.add_member(project, roles["bob"], Right.ANNOTATOR)
        team.add_member(project, roles["rea"], Right.READER)
    yield Team(pg_server, database, pg_database, roles, doc.created_id)


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _claim(project: Project, doc: str, start: int, end: int, note: str = "") -> str:
    made = project.create_claim(doc, start, end, project.label("sourced").id, note=note)
    assert made.created_id
    return made.created_id


def test_the_author_is_the_role_whatever_the_client_says(study: Team) -> None:
    author.choose("Somebody Else")
    with study.open("ann") as ann:
        assert ann.author == study.roles["ann"]
        ann.set_author("A setting")  # an annotator may keep preferences, not change who she is
        assert ann.author == study.roles["ann"]
        claim = _claim(ann, study.document, 0, 11)
        assert ann.annotation(claim).author == study.roles["ann"]
        mine = ann.annotation(claim)
        ann.create_link(claim, _claim(ann, study.document, 18, 30), "repeats")
        assert {link.author for link in ann.links(claim)} == {study.roles["ann"]}
    assert mine.author == study.roles["ann"]
    # Raw SQL naming another author, or none: the server writes the role.
    with study.sql("ann") as conn:
        conn.execute(
            'INSERT INTO annotations (id, document_id, start, "end", exact, prefix, suffix, '
            "label_id, note, author, created, modified, revision) SELECT 'forged', %s, 0, 5, "
            "'First', '', '', id, '', %s, now(), now(), 1 FROM labels WHERE name = 'sourced'",
            (study.document, study.roles["bob"]),
        )
        conn.execute(
            'INSERT INTO annotations (id, document_id, start, "end", exact, prefix, suffix, '
            "label_id, note, created, modified, revision) SELECT 'unnamed', %s, 0, 5, 'First', "
            "'', '', id, '', now(), now(), 1 FROM labels WHERE name = 'sourced'",
            (study.document,),
        )
        rows = dict(conn.execute("SELECT id, author FROM annotations").fetchall())
    assert rows["forged"] == rows["unnamed"] == study.roles["ann"]


def test_an_annotator_cannot_change_anothers_claim(study: Team, capsys) -> None:  # type: ignore[no-untyped-def]
    with study.open("ann") as ann:
        claim = _claim(ann, study.document, 0, 11, note="ann's judgement")
    with study.open("bob") as bob:
        before = bob.change_number()
        for attempt in (
            lambda: bob.update_claim(claim, note="bob was here"),
            lambda: bob.update_claim(claim, tags=["mine"]),
            lambda: bob.delete_claim(claim),
        ):
            with pytest.raises(RightsError, match="only your own claims") as info:
                attempt()
            assert str(info.value) == (
                "You are an annotator of this study: you can change only your own claims and links."
            )
        assert bob.change_number() == before
        # bob still works on his own claims, and may link his claim to ann's.
        own = _claim(bob, study.document, 18, 30)
        bob.update_claim(own, note="bob's note", tags=["t"])
        bob.create_link(own, claim, "corroborates")
    # The CLI: one line, exit status 1.
    code = main(["edit", study.url("bob"), claim, "--note", "cli"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip() == (
        "annotator: You are an annotator of this study: you can change only your own claims "
        "and links."
    )
    # Raw SQL as bob: nothing of ann's changes.
    with study.sql("bob") as conn:
        assert (
            conn.execute("UPDATE annotations SET note = 'x' WHERE id = %s", (claim,)).rowcount == 0
        )
        assert conn.execute("DELETE FROM annotations WHERE id = %s", (claim,)).rowcount == 0
        assert (
            conn.execute("DELETE FROM annotation_tags WHERE annotation_id = %s", (claim,)).rowcount
            == 0
        )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO annotation_tags (annotation_id, position, tag) VALUES (%s, 9, 'x')",
                (claim,),
            )
        # Renaming his own claims to ann: the server keeps his name on them.
        conn.execute("UPDATE annotations SET author = %s", (study.roles["ann"],))
        authors = dict(conn.execute("SELECT id, author FROM annotations").fetchall())
        assert authors[own] == study.roles["bob"] and authors[claim] == study.roles["ann"]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM documents")
    with study.open("ann") as ann:
        kept = ann.annotation(claim)
        assert kept.note == "ann's judgement" and kept.tags == () and kept.revision == 1
        # Deleting her claim removes bob's link to it too (the server cascades it).
        ann.delete_claim(claim)
        assert ann.links() == []


def test_an_annotator_manages_no_documents_labels_or_settlements(study: Team) -> None:
    with study.open("ann") as ann:
        with pytest.raises(RightsError, match="only its admins change documents, labels"):
            ann.add_label("Mine", "#123456")
        with pytest.raises(RightsError, match="only its admins change documents"):
            ann.delete_document(study.document)
        claim = _claim(ann, study.document, 0, 11)
        with pytest.raises(RightsError, match="only its admins settle disagreements"):
            ann.settle([claim], ann.label("disputed").id)
        with pytest.raises(RightsError, match="only its admins see the disagreements"):
            ann.disagreements()
        with pytest.raises(RightsError, match="only its admins turn blind coding on or off"):
            team.set_blind_coding(ann, True)
        with pytest.raises(RightsError, match="only its admins manage members"):
            team.add_member(ann, study.roles["out"], Right.ADMIN)
        assert ann.document(study.document).title == "T"


def test_a_reader_cannot_write_at_all(study: Team, capsys) -> None:  # type: ignore[no-untyped-def]
    with study.open("ann") as ann:
        claim = _claim(ann, study.document, 0, 11)
    with study.open("rea") as rea:
        assert len(rea.annotations()) == 1
        before = rea.change_number()
        with pytest.raises(RightsError) as info:
            _claim(rea, study.document, 18, 30)
        assert str(info.value) == "You are a reader of this study: you cannot change claims."
        with pytest.raises(RightsError, match="You are a reader of this study"):
            rea.update_claim(claim, note="no")
        with pytest.raises(RightsError, match="You are a reader of this study"):
            rea.add_label("Mine", "#123456")
        assert rea.change_number() == before
    code = main(
        ["annotate", study.url("rea"), study.document, "--quote", "Second", "--label", "sourced"]
    )
    assert code == 1
    assert capsys.readouterr().err.strip() == (
        "annotator: You are a reader of this study: you cannot change claims."
    )
    with study.sql("rea") as conn:
        for statement in (
            "UPDATE annotations SET note = 'x'",
            "DELETE FROM links",
            "UPDATE project_meta SET value = value",
            "INSERT INTO labels (id, name, color, position, builtin, description) "
            "VALUES ('x', 'x', '#000000', 9, false, '')",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)


def test_an_outsider_cannot_open_the_study(study: Team) -> None:
    with pytest.raises(Exception, match="does not let") as info:
        study.open("out")
    assert "Traceback" not in str(info.value)


def test_blind_coding_hides_others_claims_from_annotators_not_admins(study: Team, capsys) -> None:  # type: ignore[no-untyped-def]
    with study.open("ann") as ann:
        a1 = _claim(ann, study.document, 0, 11)
    with study.open("bob") as bob:
        b1 = _claim(bob, study.document, 18, 30)
        bob.create_link(b1, a1, "contradicts")
        bob.update_claim(b1, tags=["bobs"])
    assert main(["blind", study.url("adm"), "on"]) == 0
    assert "Blind coding is on" in capsys.readouterr().out
    with study.open("ann") as ann:
        assert [c.id for c in ann.annotations()] == [a1]
        assert ann.links() == [] and ann.tags_in_use() == []
        with pytest.raises(Exception, match="No claim"):
            ann.update_claim(b1, note="unseen")
        assert team.blind_coding(ann)
    with study.sql("ann") as conn:
        assert [r[0] for r in conn.execute("SELECT id FROM annotations")] == [a1]
        assert conn.execute("SELECT count(*) FROM annotation_tags").fetchone() == (0,)
    with study.open("adm") as adm:
        assert {c.id for c in adm.annotations()} == {a1, b1}
        assert len(adm.links()) == 1
    with study.open("rea") as rea:
        assert rea.annotations() == []
    # What a member sees under blind coding is a consistent project: check finds nothing wrong.
    capsys.readouterr()
    assert main(["check", study.url("ann")]) == 0, capsys.readouterr().out
    assert main(["check", study.url("rea")]) == 0, capsys.readouterr().out
    assert main(["blind", study.url("adm"), "off"]) == 0
    with study.open("ann") as ann:
        assert {c.id for c in ann.annotations()} == {a1, b1}
        assert not team.blind_coding(ann)
    # An annotator may not turn it on, nor see the agreement (an admin's view).
    assert main(["blind", study.url("ann"), "on"]) == 1
    assert "only its admins turn blind coding on or off" in capsys.readouterr().err
    assert main(["agreement", study.url("ann")]) == 1
    assert capsys.readouterr().err.strip() == (
        "annotator: You are an annotator of this study: only its admins see the agreement."
    )
    assert main(["agreement", study.url("adm"), "--json"]) == 0
    assert '"pairs"' in capsys.readouterr().out


def test_members_listed_added_and_removed(study: Team, capsys) -> None:  # type: ignore[no-untyped-def]
    r = study.roles
    assert main(["members", study.admin_url, "--json"]) == 0
    import json

    listed = json.loads(capsys.readouterr().out)
    assert listed == sorted(
        [
            {"role": r["adm"], "right": "admin"},
            {"role": r["ann"], "right": "annotator"},
            {"role": r["bob"], "right": "annotator"},
            {"role": r["rea"], "right": "reader"},
        ],
        key=lambda m: m["role"],
    )
    assert main(["members", study.admin_url, "--add", r["out"], "--as", "reader"]) == 0
    assert main(["members", study.admin_url, "--add", r["rea"], "--as", "annotator"]) == 0
    assert main(["members", study.admin_url, "--remove", r["ann"]]) == 0
    capsys.readouterr()
    assert main(["members", study.admin_url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert f"{r['out']}\treader" in lines and f"{r['rea']}\tannotator" in lines
    assert not any(line.startswith(r["ann"] + "\t") for line in lines)
    with study.open("rea") as promoted:
        _claim(promoted, study.document, 0, 11)  # an annotator now
    with pytest.raises(Exception, match="does not let"):
        study.open("ann")  # no longer a member: the server refuses the connection
    # An admin without CREATEROLE may not grant group roles: the server says no, in one line.
    assert main(["members", study.url("adm"), "--add", r["out"], "--as", "admin"]) == 1
    assert "Only a role with CREATEROLE (or a superuser) manages" in capsys.readouterr().err
    # Usage errors and an unknown role: one line each.
    assert main(["members", study.admin_url, "--add", r["out"]]) == 2
    assert main(["members", study.admin_url, "--add", "nobody_at_all", "--as", "reader"]) == 1
    assert "has no role nobody_at_all" in capsys.readouterr().err


def test_labels_and_notes_holding_sql_and_quotes(study: Team) -> None:
    nasty = 'Robert\'); DROP TABLE annotations; -- "quoted" $$ \\ %s'
    with study.open("adm") as adm:
        label = adm.add_label(nasty[:60], "#654321").created_id
        assert label
    with study.open("ann") as ann:
        claim = ann.create_claim(study.document, 0, 11, label, note=nasty, tags=[nasty[:50]])
        assert claim.created_id
        got = ann.annotation(claim.created_id)
        assert got.note == nasty and got.tags == (nasty[:50],)
        assert ann.label(nasty[:60]).id == label
        assert ann.annotation_count() == 1


def test_a_project_file_has_no_members(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.annot"
    with Project.create(path) as project:
        assert team.my_right(project) is None
        assert not team.blind_coding(project)
        with pytest.raises(RightsError, match="project file"):
            team.members(project)
    assert main(["members", str(path)]) == 1
    assert "project file" in capsys.readouterr().err


def test_the_databases_owner_with_createrole_makes_a_team_study(
    pg_server: PgServer, capsys
) -> None:  # type: ignore[no-untyped-def]
    """The documented set-up: the server's admin makes a login role with CREATEROLE and an
    empty database it owns; `annotator new URL` by that role sets the rights up, makes it an
    admin, and it adds members."""
    database = pg_server.create_database()
    owner, member = f"{database}_lead", f"{database}_desk1"
    try:
        with pg_server.admin() as conn:
            conn.execute(f'CREATE ROLE "{owner}" LOGIN CREATEROLE PASSWORD {_literal(SECRET)}')
            conn.execute(f'CREATE ROLE "{member}" LOGIN PASSWORD {_literal(SECRET)}')
            conn.execute(f'ALTER DATABASE "{database}" OWNER TO "{owner}"')
        url = pg_server.url(database, user=owner, password=SECRET)
        assert main(["new", url]) == 0
        assert f"Its rights are set up: {database}_admin" in capsys.readouterr().out
        assert main(["members", url, "--add", member, "--as", "annotator"]) == 0
        capsys.readouterr()
        assert main(["members", url]) == 0
        assert capsys.readouterr().out.splitlines() == [
            f"{member}\tannotator",
            f"{owner}\tadmin",
        ]
        with Project.open(pg_server.url(database, user=member, password=SECRET)) as desk:
            assert team.my_right(desk) is Right.ANNOTATOR
            assert desk.author == member
            doc = desk.documents()
            assert doc == []
            with pytest.raises(RightsError, match="only its admins change documents"):
                desk.add_document(ImportedText(text=TEXT, format="text", title="T"), b"x", "t.txt")
    finally:
        pg_server.drop_database(database)


def test_new_by_a_role_that_cannot_make_roles_says_who_can(
    pg_server: PgServer, pg_database: str, capsys
) -> None:  # type: ignore[no-untyped-def]
    database = pg_database.rsplit("/", 1)[1]
    plain = f"{database}_plain"
    with pg_server.admin() as conn:
        conn.execute(f'CREATE ROLE "{plain}" LOGIN PASSWORD {_literal(SECRET)}')
        conn.execute(f'GRANT ALL ON DATABASE "{database}" TO "{plain}"')
    with psycopg.connect(pg_database.replace("postgresql://", "postgresql://", 1)) as conn:
        conn.execute(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{plain}"')
        conn.execute(f'GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "{plain}"')
    url = pg_server.url(database, user=plain, password=SECRET)
    assert main(["new", url]) == 0
    out = capsys.readouterr().out
    assert "Its rights are not set up yet" in out and "--init" in out
    assert main(["members", url, "--init"]) == 1
    assert "Only a superuser, or the database's owner with CREATEROLE" in capsys.readouterr().err
    with Project.open(url) as project:
        assert project.membership() is not None and not project.membership().team  # type: ignore[union-attr]


def _log(conn: psycopg.Connection) -> list[tuple[str, str]]:
    """The change log as a member's own login reads it: (entity, id) of each row."""
    return [(r[0], r[1]) for r in conn.execute("SELECT entity, entity_id FROM changes")]


def test_blind_coding_hides_others_claims_from_the_change_log(study: Team) -> None:
    """The change log names the claims and links it is about: under blind coding, a member who
    is not an admin reads only the rows of their own claims (and of links between them), and
    every row of labels, documents and settings."""
    with study.open("ann") as ann:
        a1 = _claim(ann, study.document, 0, 11)
        a2 = _claim(ann, study.document, 12, 17)
        own_link = ann.create_link(a1, a2, "repeats").created_id
    with study.open("bob") as bob:
        b1 = _claim(bob, study.document, 18, 30)
        b2 = _claim(bob, study.document, 38, 45)
        bob.update_claim(b1, tags=["bobs"], note="bob thinks it polemical")
        bobs_link = bob.create_link(b1, b2, "contradicts").created_id
        mixed = bob.create_link(b1, a1, "contradicts").created_id
    with study.open("adm") as adm:
        team.set_blind_coding(adm, True)
        label = adm.add_label("Hearsay", "#123456").created_id
        adm.update_claim(a1, note="the admin's word on ann's claim")
        adm.delete_claim(a2)  # ann's: she must hear of it
        adm_claim = _claim(adm, study.document, 46, 52)
    hidden = {b1, b2, bobs_link, mixed, adm_claim}
    for who in ("ann", "rea"):
        with study.sql(who) as conn:
            seen = _log(conn)
        assert not hidden & {i for _, i in seen}, who
        assert ("label", label) in seen and ("setting", "blind_coding") in seen
        assert ("document", study.document) in seen
    with study.sql("ann") as conn:
        seen = _log(conn)
    assert {("annotation", a1), ("annotation", a2), ("link", own_link)} <= set(seen)
    with study.open("ann") as ann:
        assert not hidden & {r[2] for r in ann.changes_since(0)}
        assert ("annotation", a2, "removed") in {(r[1], r[2], r[3]) for r in ann.changes_since(0)}
    # Bob and the admin read their own; the admin reads everything.
    with study.sql("bob") as conn:
        assert {b1, b2, bobs_link} <= {i for _, i in _log(conn)}
    with study.sql("adm") as conn:
        assert hidden <= {i for _, i in _log(conn)}
    # Blind coding off: every row is everyone's again.
    with study.open("adm") as adm:
        team.set_blind_coding(adm, False)
    with study.sql("ann") as conn:
        assert hidden <= {i for _, i in _log(conn)}


def test_a_member_cannot_forge_change_log_rows(study: Team) -> None:
    """Each row of the change log names who wrote it (the server's word, as on claims), and a
    member writes rows only at the change number their own change took."""
    with study.open("ann") as ann:
        claim = _claim(ann, study.document, 0, 11)
        number = ann.change_number()
    with study.sql("adm") as conn:
        rows = conn.execute(
            "SELECT author, owner FROM changes WHERE entity_id = %s", (claim,)
        ).fetchall()
    assert rows == [(study.roles["ann"], study.roles["ann"])]
    with study.sql("ann") as conn:
        for at in (number + 1000, number + 1, 1):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(
                    "INSERT INTO changes (change_number, entity, entity_id, op, at, author) "
                    "VALUES (%s, 'annotation', %s, 'removed', now(), %s)",
                    (at, claim, study.roles["bob"]),
                )
        # Within a change of her own, under the name the server gives her, whatever she says.
        with conn.transaction():
            conn.execute(
                "UPDATE project_meta SET value = (value::integer + 1)::text "
                "WHERE key = 'change_number'"
            )
            conn.execute(
                "INSERT INTO changes (change_number, entity, entity_id, op, at, author) SELECT "
                "value::integer, 'setting', 'x', 'changed', now(), %s FROM project_meta "
                "WHERE key = 'change_number'",
                (study.roles["bob"],),
            )
    with study.sql("adm") as conn:
        assert conn.execute(
            "SELECT change_number, author FROM changes WHERE entity_id = 'x'"
        ).fetchall() == [(number + 1, study.roles["ann"])]
        assert conn.execute(
            "SELECT count(*) FROM changes WHERE change_number > %s", (number + 1,)
        ).fetchone() == (0,)
        # An admin (a copied study, a repair) writes any row.
        conn.execute(
            "INSERT INTO changes (change_number, entity, entity_id, op, at, author) "
            "VALUES (1, 'setting', 'y', 'changed', now(), %s)",
            (study.roles["bob"],),
        )
    with study.open("adm") as adm:
        changed = adm.add_label("Admin's", "#654321")
    with study.sql("adm") as conn:
        assert conn.execute(
            "SELECT author FROM changes WHERE change_number = %s", (changed.change_number,)
        ).fetchall() == [(study.roles["adm"],)]


def test_a_blind_members_follower_hears_only_what_they_may_see(study: Team) -> None:
    """Under blind coding the change numbers a member can read have gaps (others' claims): the
    follower steps over them without reading them again, and still hears the admins' changes
    of labels and of the member's own claims, and blind coding turned off (the window then
    reads the claims again)."""
    from annotator.services.changes import Changes
    from annotator.services.follow import ServerFollower

    with study.open("ann") as ann:
        a1 = _claim(ann, study.document, 0, 11)
        a2 = _claim(ann, study.document, 12, 17)
    with study.open("adm") as adm:
        team.set_blind_coding(adm, True)
    heard: list[Changes] = []
    with study.open("ann") as ann, study.open("bob") as bob, study.open("adm") as adm:
        follower = ServerFollower(ann, heard.append)
        try:
            for start in (18, 38, 46):
                _claim(bob, study.document, start, start + 4)
            assert follower.catch_up() is None and heard == []
            assert follower.change_number == ann.change_number()  # not read again next time
            label = adm.add_label("Hearsay", "#123456").created_id
            adm.update_claim(a1, note="the admin's word")
            adm.delete_claim(a2)
            _claim(bob, study.document, 52, 56)
            ann.update_claim(a1, note="her own, heard by her window already")
            found = follower.catch_up()
            assert found is not None and heard == [found]
            assert found.ids("label") == {label}
            assert found.ids("annotation") == {a1, a2} and found.ids("link") == set()
            assert {r.id for r in found.removed} == {a2}
            assert follower.change_number == ann.change_number()
            bobs = {c.id for c in bob.annotations()}
            team.set_blind_coding(adm, False)
            found = follower.catch_up()
            assert found is not None and found.ids("setting") == {"blind_coding"}
            assert bobs <= {c.id for c in ann.annotations()}
        finally:
            follower.stop()


def test_a_study_upgraded_by_its_admin_hides_its_old_log_rows_of_claims(study: Team) -> None:
    """A team study of the schema before the change log named owners: its admin's open
    upgrades it and sets the log's rights up; the rows of claims written before have no owner,
    so blind coding hides them from every member who is not an admin."""
    with study.open("bob") as bob:
        old = _claim(bob, study.document, 18, 30)
    with psycopg.connect(study.admin_url, autocommit=True) as conn:
        conn.execute("DROP TRIGGER annotator_author ON changes")
        conn.execute("ALTER TABLE changes DROP COLUMN author CASCADE, DROP COLUMN owner CASCADE")
        conn.execute("UPDATE alembic_version SET version_num = '0004'")
    with study.open("adm") as adm:
        team.set_blind_coding(adm, True)
    with study.sql("ann") as conn:
        assert ("annotation", old) not in _log(conn)
        assert ("setting", "blind_coding") in _log(conn)
    with study.open("ann") as ann:
        mine = _claim(ann, study.document, 0, 11)
        assert ("annotation", mine) in {(r[1], r[2]) for r in ann.changes_since(0)}
    with study.sql("ann") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(
            "INSERT INTO changes (change_number, entity, entity_id, op, at) "
            "VALUES (999, 'label', 'x', 'removed', now())"
        )


def test_a_members_search_index_follows_blind_coding(study: Team, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The search index on a member's machine holds what the member may read: blind coding
    turned on takes the others' claims out of it, turned off brings them back."""
    from annotator.search import SearchService

    with study.open("bob") as bob:
        _claim(bob, study.document, 18, 30, note="zebra crossing")
    with study.open("ann") as ann, study.open("adm") as adm:
        _claim(ann, study.document, 0, 11, note="zebra mine")
        team.set_blind_coding(adm, True)
        with SearchService(ann, tmp_path / "index") as service:

            def found() -> int:
                service.update()
                return service.search("zebra").total

            assert found() == 1
            team.set_blind_coding(adm, False)
            assert found() == 2
            team.set_blind_coding(adm, True)
            assert found() == 1
