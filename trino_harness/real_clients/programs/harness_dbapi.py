"""Connects with a DB-API client (``trino`` or the legacy ``prestodb``) and prints the user.

Run by the client's own interpreter; secrets come from the environment (HARNESS_PASSWORD,
HARNESS_ACCESS_TOKEN; a Kerberos ticket through KRB5CCNAME), everything else from the arguments.
Prints ``HARNESS-USER: <user>``, or on failure one line ``HARNESS-ERROR: {json}`` (see describe).
"""

import argparse
import importlib
import json
import os
import re
import sys
from types import ModuleType

# raise_response_error of both clients: "error <status>[: <body>]" for every non-2xx answer
HTTP_ERROR = re.compile(r"^error (\d{3})(?::|$)")


def describe(exc: Exception, exceptions: ModuleType) -> dict[str, object]:
    """The failure as data: Trino's error (name, code, query id) when the query failed, the HTTP
    status when the client's HttpError reports one, nothing else (the caller then cannot judge)."""
    answer: dict[str, object] = {
        "exception": type(exc).__name__, "message": str(exc), "http_status": None,
        "error_name": None, "error_code": None, "query_id": None,
    }  # fmt: skip
    query_error = getattr(exceptions, "TrinoQueryError", None) or exceptions.PrestoQueryError
    if isinstance(exc, query_error):
        answer.update(
            error_name=exc.error_name, error_code=exc.error_code, message=exc.message,
            query_id=getattr(exc, "query_id", None),
        )  # fmt: skip
    elif isinstance(exc, exceptions.HttpError):
        found = HTTP_ERROR.match(str(exc))
        answer["http_status"] = int(found.group(1)) if found else None
    return answer


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--module", choices=["trino", "prestodb"], required=True)
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--login", default=None, help="Basic auth user")
    parser.add_argument("--user", default=None, help="session user (impersonation)")
    parser.add_argument("--cert", default=None)
    parser.add_argument("--key", default=None)
    parser.add_argument("--krb5-principal", default=None, help="Kerberos (ticket in $KRB5CCNAME)")
    parser.add_argument("--krb5-service", default=None, help="SERVICE@HOST of the coordinator")
    parser.add_argument("--sql", default="SELECT current_user")
    args = parser.parse_args()

    client = importlib.import_module(args.module)
    dbapi = importlib.import_module(f"{args.module}.dbapi")
    auth_module = importlib.import_module(f"{args.module}.auth")
    print(f"HARNESS-CLIENT: {args.module} {getattr(client, '__version__', '?')}")
    auth = None
    if os.environ.get("HARNESS_PASSWORD"):
        auth = auth_module.BasicAuthentication(args.login, os.environ["HARNESS_PASSWORD"])
    elif os.environ.get("HARNESS_ACCESS_TOKEN"):
        auth = auth_module.JWTAuthentication(os.environ["HARNESS_ACCESS_TOKEN"])
    elif args.cert:
        auth = auth_module.CertificateAuthentication(args.cert, args.key)
    elif args.krb5_principal:  # trino only: GSSAPI through requests-gssapi, asking for SERVICE@HOST
        service, _, host = args.krb5_service.partition("@")
        auth = auth_module.GSSAPIAuthentication(
            config=os.environ.get("KRB5_CONFIG"), service_name=service, hostname_override=host,
            principal=args.krb5_principal, ca_bundle=args.ca,
        )  # fmt: skip
    user = args.user or args.login
    try:
        if args.module == "trino":
            connection = dbapi.connect(
                host=args.host, port=args.port, http_scheme="https", auth=auth, user=user,
                verify=args.ca, source="trino-harness-python",
            )  # fmt: skip
        else:  # presto-python-client 0.8: no verify argument; its session is reachable
            connection = dbapi.connect(
                host=args.host, port=args.port, http_scheme="https", auth=auth, user=user or "harness",
                source="trino-harness-presto", catalog="system", schema="runtime",
            )  # fmt: skip
            connection._http_session.verify = args.ca
        cursor = connection.cursor()
        cursor.execute(args.sql)
        rows = cursor.fetchall()
    except Exception as exc:
        exceptions = importlib.import_module(f"{args.module}.exceptions")
        print("HARNESS-ERROR: " + json.dumps(describe(exc, exceptions)))
        return 1
    print(f"HARNESS-USER: {rows[0][0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
