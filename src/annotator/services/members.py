"""A team study's members and blind coding, through an open server project.

The rules themselves are the server's (`annotator.storage.server_rights`); these functions run
them on a project and turn the server's refusals into one sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from annotator.services.changes import Changes
from annotator.storage import server_rights
from annotator.storage.server_rights import Member, Right, RightsError

if TYPE_CHECKING:
    from annotator.services.api import Project

T = TypeVar("T")


def _on_server(project: Project) -> None:
    if project.server is None:
        raise RightsError(
            f"{project.name} is a project file: whoever may open the file may change it; "
            "members and blind coding belong to projects on a server."
        )


def _write(project: Project, work: Callable[[Connection], T]) -> T:
    """`work(conn)` in one transaction of its own on the server (not a change of the project);
    a refusal of the server is one sentence."""
    _on_server(project)
    try:
        with project.engine.begin() as conn:
            result = work(conn)
    except DBAPIError as exc:
        if server_rights.is_denied(exc):
            raise RightsError(
                "Only a superuser, or the database's owner with CREATEROLE, sets up a study's "
                f"rights ({str(exc.orig).splitlines()[0]})."
            ) from exc
        raise
    project.forget_membership()
    return result


def set_up_rights(project: Project) -> list[str]:
    """Make the study's group roles, grants and policies (see `server_rights.set_up`); the
    role running it becomes an admin unless it is a superuser. Returns the group roles."""
    return _write(project, server_rights.set_up)


def can_set_up_rights(project: Project) -> bool:
    if project.server is None:
        return False
    with project.read_snapshot() as conn:
        return server_rights.can_set_up(conn)


def members(project: Project) -> list[Member]:
    _on_server(project)
    with project.read_snapshot() as conn:
        if not server_rights.rights_set_up(conn):
            raise RightsError(
                f"The study {project.name} has no members yet: its rights are set up with "
                "`annotator members URL --init`."
            )
        return server_rights.members(conn)


def add_member(project: Project, role: str, right: Right) -> None:
    """Give `role` (a login role the server's administrator made) this right alone."""
    _on_server(project)
    project.require_right(Right.ADMIN, "manage members")
    _write(project, lambda conn: server_rights.add_member(conn, role, right))


def remove_member(project: Project, role: str) -> bool:
    _on_server(project)
    project.require_right(Right.ADMIN, "manage members")
    return _write(project, lambda conn: server_rights.remove_member(conn, role))


def blind_coding(project: Project) -> bool:
    """Whether blind coding is on (always off for a project file)."""
    if project.server is None:
        return False
    with project.read_snapshot() as conn:
        return server_rights.blind(conn)


def set_blind_coding(project: Project, on: bool) -> Changes:
    """Turn blind coding on or off (admins only): while on, a member who is not an admin sees
    only their own claims (and their tags, evidence and links), as the server enforces. One
    change of the project (entity "setting", id "blind_coding"): followers reload."""
    _on_server(project)
    project.require_right(Right.ADMIN, "turn blind coding on or off")
    with project._mutation("Blind coding " + ("on" if on else "off")) as (session, changes):
        server_rights.set_blind(session.connection(), on)
        changes.change("setting", server_rights.BLIND_KEY)
    return changes.done()


def my_right(project: Project) -> Right | None:
    """The right this project is open with (None: not a member); admin where the server
    project has no rights set up, None for a file."""
    member = project.membership()
    return member.right if member is not None else None


__all__ = [
    "Member",
    "Right",
    "RightsError",
    "add_member",
    "blind_coding",
    "can_set_up_rights",
    "members",
    "my_right",
    "remove_member",
    "set_blind_coding",
    "set_up_rights",
]
