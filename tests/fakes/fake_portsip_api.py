#!/usr/bin/env python3
"""A fake PortSIP PBX REST API for the tests of infra/Scripts/remote/portsip_api.py (python3 standard library only).

It implements the subset of /work/shared/reference/portsip-rest-api/openapi-cluster-subset.json that the helper
uses, as that file specifies it, under the base path /api:

* POST /api/login (JSON body username/password -> access_token), GET /api/login, POST /api/login/oauth/token
  (form: grant_type=password, username, password, scope, client_id -> access_token; authentication.md),
  POST /api/auth/refresh_token.
* media_servers, call_queue_servers, conference_servers, ivr_servers: list (skip/top, count/items), create
  (200 for media and conference, 201 for call queue and IVR), retrieve, update (only the fields the spec lets
  you update), /status (ONLINE/OFFLINE), /destroy (204; an unknown id answers 400 for media, 404 for the others).
* ip_filters: list, create, retrieve, update, destroy (204; unknown id 400), export.
* im and sbc: configuration (GET/POST) and token (GET, POST regenerates, POST /destroy).

Every call but login needs "Authorization: Bearer <token>" (401 otherwise). Errors have the shape
{"errors": [{"code": "...", "message": "..."}]}; bad input (unknown or read-only field, wrong type, missing
required field, duplicate name, malformed JSON) answers 400 VALIDATE_FAILED.

It starts with one built-in server (type INTERNAL, enabled) of each kind and a default IM server configuration.

Options:
    --port N               0 picks a free port; the first line on stdout is "PORT <n>"
    --tls CERT KEY         serve HTTPS
    --online-after S       a created server reports ONLINE S seconds after its creation (default 0)
    --never-online         created servers always report OFFLINE
    --online-if-deployed FILE  a created server reports ONLINE only while FILE (the stand-in extend.sh's inventory,
                           lines "<type> <name> <ip>") lists its IP, as a real server is Online only once installed
    --admin USER:PASSWORD  the system administrator (default admin:admin)
    --json-login-without-token  POST /login answers 200 with no body (the spec documents no body), so a client
                           must use the OAuth token endpoint
    --no-json-login        POST /login answers 404

Control endpoints for tests (no authentication; never part of the real API):
    GET  /__state          the whole state as JSON (servers by kind, ip_filters, im, sbc, tokens, request log)
    POST /__fail           {"status": 400, "code": "VALIDATE_FAILED", "message": "...", "method": "POST",
                            "path": "/api/media_servers", "times": 1}: the next matching call(s) fail so
    POST /__seed           {"kind": "media", "servers": [{...}]} and/or {"ip_filters": [{...}]}: add items as is
                           (missing id/type/enabled are filled in)
    POST /__sessions       {"kind": "media", "name": "media-server-1", "series": [12, 5, 0]}: the server's open
                           sessions (media current_concurrency, meeting participants_count), one value per status
                           read, the last one kept: [3] never falls. Default 0. Disabling a server does not end them.
    POST /__down           {"down": true}: every /api call is dropped without an answer (the API unreachable)
                           until {"down": false}
    GET  /__state          also lists "events": each server update, status read and destroy, with whether the
                           server's IP was deployed then (--online-if-deployed; "?" without it), in order
It binds 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import ipaddress
import json
import re
import secrets
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OAUTH_CLIENT_ID = "9d806019-75b2-4b3d-bb8b-f5a3a412cc0a"


class Kind:
    def __init__(self, name, collection, create_status, create_fields, update_fields, required, needs_ip,
                 missing_status, builtin):
        self.name = name
        self.collection = collection
        self.create_status = create_status
        self.create_fields = create_fields
        self.update_fields = update_fields
        self.required = required
        self.needs_ip = needs_ip
        self.missing_status = missing_status
        self.builtin = builtin


MEDIA_FIELDS = ("name", "enabled", "private_ipv4", "private_ipv6", "public_ipv4", "public_ipv6", "max_concurrency",
                "custom_options")
KINDS = {
    "media": Kind("media", "media_servers", 200, MEDIA_FIELDS, ("enabled", "max_concurrency", "custom_options"),
                  ("name",), False, 400,
                  {"name": "Built-in Media Server", "private_ipv4": "127.0.0.1", "max_concurrency": 2000}),
    "queue": Kind("queue", "call_queue_servers", 201, ("name", "enabled", "ipv4", "ipv6"), ("enabled",), ("name",),
                  True, 404, {"name": "Built-in Queue Server", "ipv4": "127.0.0.1"}),
    "meeting": Kind("meeting", "conference_servers", 200,
                    ("name", "enabled", "ipv4", "ipv6", "max_rooms", "max_participants"),
                    ("enabled", "max_rooms", "max_participants"), ("name", "max_rooms", "max_participants"), True, 404,
                    {"name": "Built-in Meeting Server", "ipv4": "127.0.0.1", "max_rooms": 100,
                     "max_participants": 1000}),
    "ivr": Kind("ivr", "ivr_servers", 201, ("name", "enabled", "ipv4", "ipv6"), ("enabled",), ("name",), True, 404,
                {"name": "Built-in IVR Server", "ipv4": "127.0.0.1"}),
}
BY_COLLECTION = {k.collection: k for k in KINDS.values()}
IP_RULE_FIELDS = ("cidr", "target", "expire_at", "description")


class HttpError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def invalid(message):
    return HttpError(400, "VALIDATE_FAILED", message)


def parse_time(text):
    if not isinstance(text, str) or not text:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


class State:
    def __init__(self, opts):
        self.lock = threading.Lock()
        self.opts = opts
        self.admin_user, _, self.admin_password = opts.admin.partition(":")
        self.tokens: dict[str, float] = {}
        self.refresh_tokens: set[str] = set()
        self.next_number = 700551909773148160
        self.servers: dict[str, dict[str, dict]] = {k: {} for k in KINDS}
        self.created_at: dict[str, float] = {}
        self.ip_filters: dict[str, dict] = {}
        self.im = {"private_ipv4": "127.0.0.1", "private_ipv6": "", "public_ipv4": "", "public_ipv6": ""}
        self.im_token = ""
        self.sbc = {"domain": "", "http_port": 8882, "https_port": 8883, "transports": []}
        self.sbc_token = ""
        self.failures: list[dict] = []
        self.requests: list[str] = []
        self.sessions: dict[str, list[int]] = {}
        self.events: list[str] = []
        self.down = False
        for kind in KINDS.values():
            server = dict(kind.builtin, id=self.new_id(), type="INTERNAL", enabled=True)
            self.servers[kind.name][server["id"]] = server

    def new_id(self):
        self.next_number += 1
        return base64.b64encode(str(self.next_number).encode()).decode()

    def snapshot(self):
        return {
            **{k: list(v.values()) for k, v in self.servers.items()},
            "ip_filters": list(self.ip_filters.values()),
            "im": self.im, "im_token": self.im_token, "sbc": self.sbc, "sbc_token": self.sbc_token,
            "access_tokens": list(self.tokens), "requests": self.requests, "pending_failures": self.failures,
            "events": self.events,
        }

    def deployed(self, server):
        if not self.opts.online_if_deployed:
            return "?"
        ip = server.get("private_ipv4") or server.get("ipv4")
        try:
            with open(self.opts.online_if_deployed, encoding="utf-8") as f:
                return "yes" if ip in {line.split()[2] for line in f if len(line.split()) >= 3} else "no"
        except FileNotFoundError:
            return "no"

    def event(self, what, kind, server, details=""):
        self.events.append(f"{what} {kind.name} {server.get('name')}{details} deployed={self.deployed(server)}")

    def open_sessions(self, server):
        series = self.sessions.get(server["id"])
        if not series:
            return 0
        return series.pop(0) if len(series) > 1 else series[0]

    def status_of(self, kind, server):
        # A disabled built-in server is off. A disabled extended server still runs (a drained server keeps its
        # calls until they end): its status follows its deployment, as below.
        if server.get("type") == "INTERNAL":
            return "ONLINE" if server.get("enabled", True) else "OFFLINE"
        if self.opts.never_online:
            return "OFFLINE"
        if self.opts.online_if_deployed:
            ip = server.get("private_ipv4") or server.get("ipv4")
            try:
                with open(self.opts.online_if_deployed, encoding="utf-8") as f:
                    deployed = {line.split()[2] for line in f if len(line.split()) >= 3}
            except FileNotFoundError:
                deployed = set()
            return "ONLINE" if ip in deployed else "OFFLINE"
        created = self.created_at.get(server["id"], 0.0)
        return "ONLINE" if time.monotonic() - created >= self.opts.online_after else "OFFLINE"


# ---------------------------------------------------------------------------------------------------------------
# Validation helpers


def check_fields(body, allowed, what):
    if not isinstance(body, dict):
        raise invalid("the request body must be a JSON object")
    for key in body:
        if key not in allowed:
            raise invalid(f"{key} is not a field of {what} that can be set here")


def check_string(body, key, min_len=0, max_len=None):
    value = body.get(key)
    if key not in body:
        return
    if not isinstance(value, str):
        raise invalid(f"{key} must be a string")
    if len(value) < min_len or (max_len is not None and len(value) > max_len):
        raise invalid(f"{key} must be {min_len} to {max_len} characters long")


def check_int(body, key, minimum):
    if key not in body:
        return
    value = body[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(f"{key} must be an integer")
    if value < minimum:
        raise invalid(f"{key} must be at least {minimum}")


def check_bool(body, key):
    if key in body and not isinstance(body[key], bool):
        raise invalid(f"{key} must be true or false")


def check_ip(body, key, version):
    if key not in body or body[key] == "":
        return
    value = body[key]
    try:
        parsed = ipaddress.ip_address(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.version != version:
        raise invalid(f"{key} must be an IPv{version} address")


def check_server(kind, body, creating):
    allowed = kind.create_fields if creating else kind.update_fields
    check_fields(body, allowed, f"a {kind.name} server")
    if creating:
        for key in kind.required:
            if key not in body:
                raise invalid(f"{key} is required")
    check_string(body, "name", 1, 64)
    check_bool(body, "enabled")
    for key in ("private_ipv4", "public_ipv4", "ipv4"):
        check_ip(body, key, 4)
    for key in ("private_ipv6", "public_ipv6", "ipv6"):
        check_ip(body, key, 6)
    check_int(body, "max_concurrency", 1)
    check_int(body, "max_rooms", 0)
    check_int(body, "max_participants", 0)
    check_string(body, "custom_options")
    if creating and kind.needs_ip and not (body.get("ipv4") or body.get("ipv6")):
        raise invalid("at least one of ipv4 or ipv6 must be specified")


def check_rule(body, creating):
    check_fields(body, IP_RULE_FIELDS, "an IP rule")
    if creating:
        for key in ("cidr", "target"):
            if key not in body:
                raise invalid(f"{key} is required")
    if "cidr" in body:
        try:
            ipaddress.ip_network(body["cidr"], strict=False)
        except (ValueError, TypeError):
            raise invalid("cidr must be CIDR notation such as 192.0.2.0/24") from None
    if "target" in body and body["target"] not in ("ACCEPT", "DENY"):
        raise invalid("target must be ACCEPT or DENY")
    if "expire_at" in body:
        expire = parse_time(body["expire_at"])
        if expire is None:
            raise invalid("expire_at must be an RFC 3339 date-time")
        if expire <= datetime.datetime.now(datetime.timezone.utc):
            raise invalid("expire_at must be in the future")
    check_string(body, "description", 0, 255)


# ---------------------------------------------------------------------------------------------------------------
# The handler


class Handler(BaseHTTPRequestHandler):
    server_version = "FakePortSIP/22"
    protocol_version = "HTTP/1.1"

    def setup(self):
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(10)
            self.request.do_handshake()
        super().setup()

    def log_message(self, format, *args):  # noqa: A002 - quiet unless asked
        if self.server.opts.verbose:
            super().log_message(format, *args)

    @property
    def state(self) -> State:
        return self.server.state

    # -- plumbing ---------------------------------------------------------------------------------------------

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def json_body(self, raw):
        if not raw.strip():
            return {}
        try:
            return json.loads(raw)
        except ValueError:
            raise invalid("malformed JSON in the request body") from None

    def send(self, status, body=None):
        content_type = "application/octet-stream" if isinstance(body, bytes) else "application/json"
        data = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        self.send_response(status)
        if data:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data:
            self.wfile.write(data)

    def send_error_body(self, status, code, message):
        self.send(status, {"errors": [{"code": code, "message": message}]})

    def dispatch(self, method):
        url = urllib.parse.urlsplit(self.path)
        path = url.path.rstrip("/") or "/"
        query = urllib.parse.parse_qs(url.query)
        raw = self.read_body()
        try:
            if path.startswith("/__"):
                return self.control(method, path, raw)
            with self.state.lock:
                if self.state.down:
                    self.close_connection = True
                    return None  # no answer at all: the client sees the connection dropped
                self.state.requests.append(f"{method} {path}")
                failure = self.take_failure(method, path)
            if failure:
                return self.send_error_body(failure.get("status", 400), failure.get("code", "VALIDATE_FAILED"),
                                            failure.get("message", "injected failure"))
            if not path.startswith("/api/"):
                raise HttpError(404, "NOT_FOUND", f"no such endpoint: {path}")
            route = path[len("/api"):]
            if route in ("/login", "/login/oauth/token", "/auth/refresh_token"):
                return self.authentication(method, route, raw)
            self.authorize()
            with self.state.lock:
                status, body = self.route(method, route, query, raw)
            self.send(status, body)
        except HttpError as e:
            self.send_error_body(e.status, e.code, e.message)

    def take_failure(self, method, path):
        for failure in self.state.failures:
            if failure.get("method") and failure["method"] != method:
                continue
            if failure.get("path") and failure["path"].rstrip("/") != path:
                continue
            failure["times"] = failure.get("times", 1) - 1
            if failure["times"] <= 0:
                self.state.failures.remove(failure)
            return failure
        return None

    def control(self, method, path, raw):
        with self.state.lock:
            if method == "GET" and path == "/__state":
                return self.send(200, self.state.snapshot())
            body = self.json_body(raw)
            if method == "POST" and path == "/__fail":
                self.state.failures.append(dict(body))
                return self.send(200, {"pending": len(self.state.failures)})
            if method == "POST" and path == "/__seed":
                ids = []
                if "kind" in body:
                    kind = KINDS[body["kind"]]
                    for server in body.get("servers", []):
                        server = dict(server)
                        server.setdefault("id", self.state.new_id())
                        server.setdefault("type", "EXTERNAL")
                        server.setdefault("enabled", True)
                        self.state.servers[kind.name][server["id"]] = server
                        self.state.created_at[server["id"]] = time.monotonic()
                        ids.append(server["id"])
                if "im" in body:
                    self.state.im.update(body["im"])
                for rule in body.get("ip_filters", []):
                    rule = dict(rule)
                    rule.setdefault("id", self.state.new_id())
                    self.state.ip_filters[rule["id"]] = rule
                    ids.append(rule["id"])
                return self.send(200, {"ids": ids})
            if method == "POST" and path == "/__sessions":
                kind = KINDS[body["kind"]]
                found = [s for s in self.state.servers[kind.name].values() if s.get("name") == body["name"]]
                if not found:
                    raise HttpError(404, "NOT_FOUND", f"no {kind.name} server named {body['name']}")
                self.state.sessions[found[0]["id"]] = [int(n) for n in body["series"]]
                return self.send(200, {"id": found[0]["id"]})
            if method == "POST" and path == "/__down":
                self.state.down = bool(body.get("down", True))
                return self.send(200, {"down": self.state.down})
        raise HttpError(404, "NOT_FOUND", f"no such control endpoint: {method} {path}")

    # -- authentication ---------------------------------------------------------------------------------------

    def issue_token(self):
        token = secrets.token_hex(16).upper()
        refresh = secrets.token_hex(16).upper()
        with self.state.lock:
            self.state.tokens[token] = time.time() + 1800
            self.state.refresh_tokens.add(refresh)
        return token, refresh

    def authorize(self):
        header = self.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        with self.state.lock:
            valid = scheme.lower() == "bearer" and token.strip() in self.state.tokens
        if not valid:
            raise HttpError(401, "UNAUTHORIZED", "missing or invalid access token")
        return token.strip()

    def authentication(self, method, route, raw):
        opts = self.server.opts
        if route == "/login" and method == "GET":
            token = self.authorize()
            return self.send(200, {"access_token": token, "expires_in": 1800, "role": "SystemAdmin"})
        if method != "POST":
            raise HttpError(405, "METHOD_NOT_ALLOWED", f"{method} is not allowed here")
        if route == "/login":
            if opts.no_json_login:
                raise HttpError(404, "NOT_FOUND", "no such endpoint: /api/login")
            body = self.json_body(raw)
            check_fields(body, ("username", "password", "domain"), "a login")
            for key in ("username", "password"):
                if not isinstance(body.get(key), str) or not body[key]:
                    raise invalid(f"{key} is required")
            if body["username"] != self.state.admin_user or body["password"] != self.state.admin_password:
                raise HttpError(401, "UNAUTHORIZED", "Login failed, authentication error")
            token, _ = self.issue_token()
            if opts.json_login_without_token:
                return self.send(200)
            expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=1800)
            return self.send(200, {"access_token": token, "expires_in": 1800, "role": "SystemAdmin",
                                   "expires_at": expires.strftime("%Y-%m-%dT%H:%M:%SZ")})
        if route == "/login/oauth/token":
            if "application/x-www-form-urlencoded" not in self.headers.get("Content-Type", ""):
                raise invalid("the body must be application/x-www-form-urlencoded")
            form = {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode(), keep_blank_values=True).items()}
            if form.get("client_id") != OAUTH_CLIENT_ID:
                raise HttpError(400, "UNAUTHORIZED", "unknown client_id")
            if form.get("grant_type") == "refresh_token":
                with self.state.lock:
                    known = form.get("refresh_token") in self.state.refresh_tokens
                if not known:
                    raise HttpError(400, "UNKNOWN", "unknown error")
            elif form.get("grant_type") != "password" or form.get("scope") != "all" \
                    or form.get("username") != self.state.admin_user \
                    or form.get("password") != self.state.admin_password:
                raise HttpError(400, "UNAUTHORIZED", "Login failed, authentication error")
            token, refresh = self.issue_token()
            return self.send(200, {"access_token": token, "expires_in": 1800, "refresh_token": refresh,
                                   "token_type": "Bearer"})
        body = self.json_body(raw)  # /auth/refresh_token
        with self.state.lock:
            known = body.get("refresh_token") in self.state.refresh_tokens
        if not known:
            raise HttpError(400, "UNKNOWN", "unknown error")
        token, refresh = self.issue_token()
        return self.send(200, {"token_type": "Bearer", "access_token": token, "refresh_token": refresh,
                               "expires_in": 1800})

    # -- resources (called with the state lock held) ----------------------------------------------------------

    def route(self, method, route, query, raw):
        parts = route.strip("/").split("/")
        head = parts[0]
        if head in BY_COLLECTION:
            return self.servers(method, BY_COLLECTION[head], parts[1:], query, raw)
        if head == "ip_filters":
            return self.ip_filters(method, parts[1:], query, raw)
        if head in ("im", "sbc"):
            return self.config(method, head, parts[1:], raw)
        raise HttpError(404, "NOT_FOUND", f"no such endpoint: /api{route}")

    def page(self, items, query):
        def number(key, default, minimum, maximum=None):
            text = (query.get(key) or [str(default)])[0]
            try:
                value = int(text)
            except ValueError:
                raise invalid(f"{key} must be an integer") from None
            if value < minimum or (maximum is not None and value > maximum):
                raise invalid(f"{key} must be between {minimum} and {maximum}" if maximum else
                              f"{key} must be at least {minimum}")
            return value
        skip = number("skip", 0, 0)
        top = number("top", 100, 1, 100)
        return 200, {"count": len(items), "items": items[skip:skip + top]}

    def servers(self, method, kind, rest, query, raw):
        store = self.state.servers[kind.name]
        if not rest:
            if method == "GET":
                return self.page(list(store.values()), query)
            if method == "POST":
                body = self.json_body(raw)
                check_server(kind, body, creating=True)
                if any(s.get("name", "").lower() == body["name"].lower() for s in store.values()):
                    raise invalid("name already exists")
                server = {"id": self.state.new_id(), "type": "EXTERNAL", "enabled": True}
                if kind.name == "media":
                    server["max_concurrency"] = 2000
                server.update(body)
                store[server["id"]] = server
                self.state.created_at[server["id"]] = time.monotonic()
                return kind.create_status, {"id": server["id"]}
            raise HttpError(405, "METHOD_NOT_ALLOWED", f"{method} is not allowed here")
        server = store.get(rest[0])
        if len(rest) == 1:
            if server is None:
                raise HttpError(404, "NOT_FOUND", "server not found")
            if method == "GET":
                return 200, server
            if method == "POST":
                body = self.json_body(raw)
                check_server(kind, body, creating=False)
                server.update(body)
                self.state.event("update", kind, server, "".join(f" {k}={json.dumps(v)}" for k, v in body.items()))
                return 200, None
        elif len(rest) == 2 and rest[1] == "status" and method == "GET":
            if server is None:
                raise HttpError(404, "NOT_FOUND", "server not found")
            status = {"cpu_usage": 3, "memory_usage": 20, "status": self.state.status_of(kind, server)}
            if kind.name == "media":
                status["current_concurrency"] = self.state.open_sessions(server)
                self.state.event("status", kind, server, f" current_concurrency={status['current_concurrency']}")
            if kind.name == "meeting":
                participants = self.state.open_sessions(server)
                status.update(rooms_count=1 if participants else 0, participants_count=participants)
                self.state.event("status", kind, server, f" participants_count={participants}")
            return 200, status
        elif len(rest) == 2 and rest[1] == "destroy" and method == "POST":
            if server is None:
                if kind.missing_status == 404:
                    raise HttpError(404, "NOT_FOUND", "Server not found")
                raise invalid("Invalid server ID supplied")
            if server.get("type") == "INTERNAL":
                raise invalid("the built-in server cannot be deleted")
            self.state.event("destroy", kind, server)
            del store[server["id"]]
            return 204, None
        raise HttpError(404, "NOT_FOUND", "no such endpoint")

    def ip_filters(self, method, rest, query, raw):
        store = self.state.ip_filters
        if not rest:
            if method == "GET":
                return self.page(list(store.values()), query)
            if method == "POST":
                body = self.json_body(raw)
                check_rule(body, creating=True)
                rule = {"id": self.state.new_id(), "description": ""}
                rule.update(body)
                store[rule["id"]] = rule
                return 200, {"id": rule["id"]}
        elif rest == ["export"] and method == "GET":
            lines = "".join(f"{r['cidr']},{r['target']},{r.get('expire_at', '')}\n" for r in store.values())
            return 200, lines.encode()
        else:
            rule = store.get(rest[0])
            if len(rest) == 1 and method in ("GET", "POST"):
                if rule is None:
                    raise HttpError(404, "NOT_FOUND", "rule not found")
                if method == "GET":
                    return 200, rule
                body = self.json_body(raw)
                check_rule(body, creating=False)
                rule.update(body)
                return 200, None
            if len(rest) == 2 and rest[1] == "destroy" and method == "POST":
                if rule is None:
                    raise invalid("Invalid rule ID supplied")
                del store[rule["id"]]
                return 204, None
        raise HttpError(404, "NOT_FOUND", "no such endpoint")

    def config(self, method, which, rest, raw):
        if not rest:
            if method == "GET":
                return 200, getattr(self.state, which)
            if method == "POST":
                body = self.json_body(raw)
                allowed = ("private_ipv4", "private_ipv6", "public_ipv4", "public_ipv6") if which == "im" \
                    else ("domain", "http_port", "https_port", "transports")
                check_fields(body, allowed, f"the {which.upper()} configuration")
                if which == "im":
                    for key in ("private_ipv4", "public_ipv4"):
                        check_ip(body, key, 4)
                    for key in ("private_ipv6", "public_ipv6"):
                        check_ip(body, key, 6)
                getattr(self.state, which).update(body)
                return 200, None
        elif rest == ["token"]:
            if method == "GET":
                return 200, {"token": getattr(self.state, f"{which}_token")}
            if method == "POST":
                token = secrets.token_urlsafe(32)
                setattr(self.state, f"{which}_token", token)
                return 200, {"token": token}
        elif rest == ["token", "destroy"] and method == "POST":
            setattr(self.state, f"{which}_token", "")
            return 204, None
        raise HttpError(404, "NOT_FOUND", "no such endpoint")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, opts, state, tls_context):
        super().__init__(("127.0.0.1", opts.port), Handler)
        self.opts = opts
        self.state = state
        self.tls_context = tls_context

    def get_request(self):
        sock, address = self.socket.accept()
        if self.tls_context is not None:
            sock = self.tls_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def handle_error(self, request, client_address):  # a client that gave up (e.g. refused our certificate)
        if self.opts.verbose:
            super().handle_error(request, client_address)


def main(argv):
    p = argparse.ArgumentParser(description="Fake PortSIP PBX REST API for tests (127.0.0.1 only)")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--online-after", type=float, default=0.0)
    p.add_argument("--never-online", action="store_true")
    p.add_argument("--online-if-deployed")
    p.add_argument("--admin", default="admin:admin")
    p.add_argument("--json-login-without-token", action="store_true")
    p.add_argument("--no-json-login", action="store_true")
    p.add_argument("--verbose", action="store_true")
    opts = p.parse_args(argv)
    context = None
    if opts.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(opts.tls[0], opts.tls[1])
    server = Server(opts, State(opts), context)
    sys.stdout.write(f"PORT {server.server_address[1]}\n")
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
