"""Team commands: members (list, --init, --add, --remove) and blind (on, off) of a server study.

Their arguments, output and exit status are a contract users' scripts rely on (see
docs/reference.md).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from annotator.cli.locations import project_location
from annotator.cli.main import UsageError

SERVER_HELP = "the study: postgresql://user@host:port/database"


def register(subparsers: Any) -> None:
    add = subparsers.add_parser

    p = add(
        "members",
        help="list a server study's members, or add and remove them",
        description="List the members of a study on a server and their right (admin, "
        "annotator, reader), or change them. The login roles are made by the server's "
        "administrator; a member is a role granted one of the study's group roles "
        "(<database>_admin, <database>_annotator, <database>_reader).",
    )
    p.add_argument("project", metavar="URL", type=project_location, help=SERVER_HELP)
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--init",
        action="store_true",
        help="set up the study's group roles, grants and row-level security "
        "(a superuser, or the database's owner with CREATEROLE; run again after an upgrade)",
    )
    group.add_argument("--add", metavar="ROLE", help="make ROLE a member (with --as)")
    group.add_argument("--remove", metavar="ROLE", help="take every right of the study from ROLE")
    p.add_argument(
        "--as",
        dest="right",
        choices=("admin", "annotator", "reader"),
        help="the right --add gives",
    )
    p.add_argument("--json", action="store_true", help="print JSON: [{role, right}, ...]")
    p.set_defaults(func=cmd_members)

    p = add(
        "blind",
        help="turn blind coding on or off (admins)",
        description="While blind coding is on, a member who is not an admin sees only their own "
        "claims (the server enforces it). Without on/off, says whether it is on.",
    )
    p.add_argument("project", metavar="URL", type=project_location, help=SERVER_HELP)
    p.add_argument("state", nargs="?", choices=("on", "off"), help="on or off")
    p.set_defaults(func=cmd_blind)


def _open(args: argparse.Namespace) -> Any:
    from pathlib import Path

    from annotator.services.api import Project
    from annotator.storage.server_rights import RightsError

    if isinstance(args.project, Path):
        raise RightsError(
            f"{args.project} is a project file: members and blind coding belong to projects on "
            "a server (postgresql://...)."
        )
    return Project.open(args.project)


def cmd_members(args: argparse.Namespace) -> int:
    from annotator.services import members as team
    from annotator.storage.server_rights import Right

    if args.right and not args.add:
        raise UsageError("--as goes with --add ROLE.")
    if args.add and not args.right:
        raise UsageError("--add ROLE needs --as admin, --as annotator or --as reader.")
    with _open(args) as project:
        if args.init:
            groups = team.set_up_rights(project)
            print(f"The study {project.name} has its rights: {', '.join(groups)}.")
            return 0
        if args.add:
            team.add_member(project, args.add, Right(args.right))
            print(f"{args.add} is now {Right(args.right).article} {args.right} of {project.name}.")
            return 0
        if args.remove:
            if not team.remove_member(project, args.remove):
                print(f"{args.remove} was not a member of {project.name}.")
                return 0
            print(f"{args.remove} is no longer a member of {project.name}.")
            return 0
        found = team.members(project)
    if args.json:
        print(json.dumps([{"role": m.role, "right": m.right.value} for m in found], indent=2))
        return 0
    if not found:
        print("No members yet.")
    for member in found:
        print(f"{member.role}\t{member.right.value}")
    return 0


def cmd_blind(args: argparse.Namespace) -> int:
    from annotator.services import members as team

    with _open(args) as project:
        if args.state is None:
            on = team.blind_coding(project)
            print(f"Blind coding is {'on' if on else 'off'} in {project.name}.")
            return 0
        team.set_blind_coding(project, args.state == "on")
    print(f"Blind coding is {args.state} in {project.name}.")
    return 0
