"""Smoke test of a client generated from the committed spec with openapi-python-client.

Run against a server:
    VERN=http://127.0.0.1:8080 CLIENT_ID=… CLIENT_SECRET=… ORG=… python smoke.py
with the generated package `vern_client` on the path.
"""

import os
import sys
from uuid import UUID

from vern_client import AuthenticatedClient, Client
from vern_client.api.auth import client_token
from vern_client.api.organizations import list_organizations
from vern_client.api.register import create_system, delete_system, get_system, list_systems
from vern_client.models import (
    ClientTokenRequest,
    ClientTokenResponse,
    OrganizationPage,
    Problem,
    ProblemCode,
    System,
    SystemFacts,
    SystemPage,
    SystemStatus,
)
from vern_client.types import UNSET


def check(condition: bool, what: str) -> None:
    if not condition:
        sys.exit(f"failed: {what}")
    print(f"ok: {what}")


base = os.environ["VERN"]
org = UUID(os.environ["ORG"])

# 1. Client credentials (the token endpoint needs no token: a plain client).
token = client_token.sync(
    client=Client(base_url=base),  # type: ignore[arg-type]
    body=ClientTokenRequest(
        grant_type="client_credentials",
        client_id=os.environ["CLIENT_ID"],
        client_secret=os.environ["CLIENT_SECRET"],
    ),
)
check(isinstance(token, ClientTokenResponse), "client credentials give a token")
assert isinstance(token, ClientTokenResponse)
client = AuthenticatedClient(base_url=base, token=token.access_token)

# 2. Organisations.
orgs = list_organizations.sync(client=client, limit=5)
check(isinstance(orgs, OrganizationPage) and len(orgs.items) == 5, "five organisations listed")
assert isinstance(orgs, OrganizationPage)
print("  " + ", ".join(o.name for o in orgs.items))

# 3. Create a system and read it back.
created = create_system.sync_detailed(
    org_id=org,
    client=client,
    body=SystemFacts(name="Smoke (Python)", owning_unit="IT", status=SystemStatus.PLANNED),
)
check(created.status_code == 201 and isinstance(created.parsed, System), "a system is created")
assert isinstance(created.parsed, System)
system_id = created.parsed.id
read = get_system.sync_detailed(org_id=org, system_id=system_id, client=client)
check(
    isinstance(read.parsed, System)
    and read.parsed.name == "Smoke (Python)"
    and read.parsed.status == SystemStatus.PLANNED,
    "it reads back",
)

# 4. Page through the systems, three at a time.
seen, pages, cursor = 0, 0, UNSET
while True:
    page = list_systems.sync(org_id=org, client=client, limit=3, cursor=cursor)
    assert isinstance(page, SystemPage), page
    seen += len(page.items)
    pages += 1
    if not page.next_cursor:
        break
    cursor = page.next_cursor
everything = list_systems.sync(org_id=org, client=client, limit=500)
assert isinstance(everything, SystemPage)
check(pages > 1 and seen == len(everything.items), f"paged through {seen} systems in {pages} pages")

# 5. Bad input gives a typed problem.
bad = create_system.sync_detailed(
    org_id=org,
    client=client,
    body=SystemFacts(name="", owning_unit="IT", status=SystemStatus.PLANNED),
)
problem = bad.parsed
check(
    bad.status_code == 422
    and isinstance(problem, Problem)
    and problem.code == ProblemCode.VALIDATION_FAILED
    and bool(problem.errors)
    and problem.errors[0].field == "name",  # type: ignore[index]
    "bad input gives problem+json with code validation_failed on name",
)

# Clean up: a planned system can be deleted.
removed = delete_system.sync_detailed(
    org_id=org, system_id=system_id, client=client, if_match=read.headers["etag"]
)
check(removed.status_code == 204, "the system is deleted")
print("python client: all checks passed")
