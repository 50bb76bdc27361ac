#!/usr/bin/env python3
"""Does the PortSIP Web Portal steps of the HA guides through the PortSIP PBX REST API.

Uploaded to pbx01 by the PortsipInfra stack and run there (python3 standard library only, Python 3.10+).

    python3 portsip_api.py <action> [options]  < connection.json

stdin holds ONE JSON object with the connection and the secrets, which never go on the command line:

    {"api_url": "https://192.168.1.130:8887/api", "username": "admin", "password": "...",
     "certificate_sha256": "3f:a1:..."}

How the API's certificate is checked (never skipped):
    "certificate_sha256"  64 hex digits (colons allowed): the SHA-256 of the certificate the API must present.
                          Only that certificate is accepted, whatever address it names (the pin replaces
                          both the chain and the name check).
    "ca_pem"              PEM text of the CA certificate(s) that issued the API's certificate: the chain must
                          lead to one of them, and the certificate must name the address of api_url (for an
                          IP address, as an IP entry of its subjectAltName).
    neither               the system's trusted CAs, and the certificate must name the address of api_url.
    "allow_http": true    accepts an http:// api_url (the password then travels in clear); refused otherwise.
    "insecure_tls": true  no check at all. Only honoured for the delete commands that versions of the stack
                          before certificate pinning stored; the stack no longer sends it.

Optional keys: "timeout" (seconds per HTTP request, default 30) and "login" ("auto", the default: POST /login
with a JSON body and, when that answers without an access_token or does not exist, the OAuth password grant
POST /login/oauth/token of authentication.md; "json" or "oauth" to use only one of them).

Actions (all idempotent):
    register --kind media|queue|meeting|ivr --name N --private-ip IP [--public-ip IP] [--max-sessions N]
             [--max-rooms N] [--max-participants N] [--enabled true|false]
    unregister --kind K --name N
    set-defaults-enabled --kind K --enabled true|false
                                                    the built-in (type INTERNAL) server of that kind on the main
                                                    server; never the IM server
    set-defaults-enabled --enabled true             (no --kind: the delete command stored by versions of the stack
                                                    before --kind) enables the built-in server of every kind that
                                                    has no extended server registered, and leaves the others
    whitelist-add --ip IP --description TEXT [--expires RFC3339]
    whitelist-remove --ip IP
    im-token [--regenerate]                         prints only the token on stdout
    sbc-token [--regenerate]                        prints only the token on stdout
    wait-online --kind K --name N --timeout SECONDS [--interval SECONDS]
    status --kind K --name N --private-ip IP        read only; prints one word: "online" (registered under that
                                                    name at that IP and ONLINE), "absent", "other-ip" or
                                                    "not-online"
    drain --kind K --name N [--private-ip IP] --timeout SECONDS [--interval SECONDS] [--on-timeout fail|proceed]
                                                    disables the server (enabled=false: new sessions go to the others),
                                                    then waits until its open sessions are 0: media
                                                    current_concurrency, meeting participants_count. Queue and IVR
                                                    servers report no figure: disabled, not waited for. Not listed (or
                                                    listed at another IP): nothing to drain. On timeout, fail (exit 1,
                                                    the default) or proceed (a warning, exit 0)
    enable --kind K --name N [--private-ip IP]      enabled=true again (after a drain); not listed: nothing to do

Exit status: 0 done (or nothing to do), 1 the action failed (one line on stderr says why), 2 bad usage or input.
Neither the password nor the API's access token is ever printed; tokens are printed only by im-token/sbc-token.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import hashlib
import hmac
import http.client
import ipaddress
import json
import socket
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

OAUTH_CLIENT_ID = "9d806019-75b2-4b3d-bb8b-f5a3a412cc0a"
DEFAULT_REQUEST_TIMEOUT = 30.0
PAGE_SIZE = 100  # the spec's maximum for `top`
MAX_PAGES = 1000
DEFAULT_EXPIRES = "2099-12-31T23:59:59Z"
# conference_servers requires max_rooms and max_participants on create; the spec gives no default.
DEFAULT_MAX_ROOMS = 100
DEFAULT_MAX_PARTICIPANTS = 1000


class Kind:
    def __init__(self, name, path, ip_field, create_status, updatable, public_ip_field=None):
        self.name = name
        self.path = path
        self.ip_field = ip_field
        self.public_ip_field = public_ip_field
        self.create_status = create_status
        self.updatable = updatable


KINDS = {
    "media": Kind("media", "/media_servers", "private_ipv4", 200, ("enabled", "max_concurrency"), "public_ipv4"),
    "queue": Kind("queue", "/call_queue_servers", "ipv4", 201, ("enabled",)),
    "meeting": Kind("meeting", "/conference_servers", "ipv4", 200, ("enabled", "max_rooms", "max_participants")),
    "ivr": Kind("ivr", "/ivr_servers", "ipv4", 201, ("enabled",)),
}
KIND_ORDER = ("media", "queue", "meeting", "ivr")


# ---------------------------------------------------------------------------------------------------------------
# Errors and output


class Failure(Exception):
    """The action failed; str() is the reason, without the action's name."""


class ApiError(Failure):
    def __init__(self, status, code, message):
        self.status = status
        self.code = code
        self.api_message = message
        text = f"HTTP {status}"
        if code and message:
            text += f" {code}: {message}"
        elif code or message:
            text += f" {code or message}"
        super().__init__(text)


class CredentialsRefused(Failure):
    pass


class Unreachable(Failure):
    pass


class Untrusted(Failure):
    """The API's certificate failed its check: no request was sent (and waiting does not help)."""


class TimedOut(Failure):
    """wait-online ran out of time; str() is the whole message."""


class Usage(Exception):
    pass


class NotDrained(Failure):
    """drain ran out of time with sessions still open; str() is the whole message."""


_SECRETS: list[str] = []


def _redact(text: str) -> str:
    for secret in _SECRETS:
        if secret and len(secret) >= 3:
            text = text.replace(secret, "***")
    return text


def say(line: str) -> None:
    sys.stdout.write(_redact(line) + "\n")
    sys.stdout.flush()


def warn(line: str) -> None:
    sys.stderr.write(_redact("warning: " + line) + "\n")
    sys.stderr.flush()


def one_line(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ---------------------------------------------------------------------------------------------------------------
# Checking the API's certificate


def fingerprint(der: bytes) -> str:
    """The SHA-256 of a certificate as openssl prints it: AB:CD:..."""
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def normalize_pin(text) -> str | None:
    """64 hex digits, colons allowed, as lower-case hex; None when it is not a SHA-256 fingerprint."""
    if not isinstance(text, str):
        return None
    digits = text.strip().replace(":", "").lower()
    if len(digits) != 64 or any(c not in "0123456789abcdef" for c in digits):
        return None
    return digits


class CertificateMismatch(OSError):
    """The API presented another certificate than the pinned one (an OSError, so that urllib passes it on)."""

    def __init__(self, presented: str):
        super().__init__(f"presented certificate {presented}")
        self.presented = presented


class _PinnedConnection(http.client.HTTPSConnection):
    """An HTTPS connection that sends nothing before the server's certificate matches the pin."""

    def __init__(self, *args, pin: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.pin = pin

    def connect(self):
        super().connect()
        der = self.sock.getpeercert(binary_form=True) or b""
        if not hmac.compare_digest(hashlib.sha256(der).hexdigest(), self.pin):
            self.close()
            raise CertificateMismatch(fingerprint(der) if der else "(none)")


class _PinnedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, context: ssl.SSLContext, pin: str):
        super().__init__(context=context)
        self.pin = pin

    def https_open(self, req):
        return self.do_open(functools.partial(_PinnedConnection, pin=self.pin), req, context=self._context)


def build_opener(conn: dict) -> urllib.request.OpenerDirector:
    """An opener that checks the API's certificate as the connection settings say, and ignores *_proxy variables
    (the API is on the cluster's own LAN)."""
    no_proxy = urllib.request.ProxyHandler({})
    if conn["certificate_sha256"]:
        # The pin is the whole check: the chain and the name are not looked at, the certificate itself is.
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return urllib.request.build_opener(no_proxy, _PinnedHTTPSHandler(context, conn["certificate_sha256"]))
    if conn["ca_pem"]:
        try:
            context = ssl.create_default_context(cadata=conn["ca_pem"])
        except (ssl.SSLError, ValueError) as e:
            raise Failure(f"ca_pem holds no CA certificate that can be used ({one_line(e)})") from None
    elif conn["insecure_tls"]:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    else:
        context = ssl.create_default_context()
    return urllib.request.build_opener(no_proxy, urllib.request.HTTPSHandler(context=context))


def presented_fingerprint(url: str, timeout: float) -> str | None:
    """The fingerprint of the certificate the server at url presents, read without trusting it (nothing is sent
    after the handshake); None when it cannot be read."""
    parts = urllib.parse.urlsplit(url)
    try:
        pem = ssl.get_server_certificate((parts.hostname, parts.port or 443), timeout=timeout)
        return fingerprint(ssl.PEM_cert_to_DER_cert(pem))
    except (OSError, ValueError):
        return None


# ---------------------------------------------------------------------------------------------------------------
# The API client


def _parse_errors(status: int, raw: bytes) -> ApiError:
    text = raw.decode("utf-8", "replace").strip()
    code, message = "", ""
    try:
        body = json.loads(text) if text else None
    except ValueError:
        body = None
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list) and errors:
            codes = [str(e.get("code", "")) for e in errors if isinstance(e, dict)]
            messages = [str(e.get("message", "")) for e in errors if isinstance(e, dict)]
            code = "; ".join(c for c in codes if c)
            message = "; ".join(m for m in messages if m)
        elif "code" in body or "message" in body:
            code, message = str(body.get("code", "")), str(body.get("message", ""))
    elif text:
        message = text
    return ApiError(status, one_line(code, 100), one_line(message))


def _looks_like_login_refusal(e: ApiError) -> bool:
    if e.status in (401, 403):
        return True
    blob = f"{e.code} {e.api_message}".lower()
    return e.status == 400 and ("unauthorized" in blob or "authentication" in blob or "password" in blob)


class Api:
    def __init__(self, conn: dict):
        self.url = conn["api_url"].rstrip("/")
        self.username = conn["username"]
        self.password = conn["password"]
        self.timeout = conn["timeout"]
        self.login_method = conn["login"]
        self.deadline: float | None = None  # wait-online keeps each request within its own deadline
        self.token: str | None = None
        self.opener = build_opener(conn)

    # -- transport --------------------------------------------------------------------------------------------

    def _request_timeout(self) -> float:
        if self.deadline is None:
            return self.timeout
        return max(1.0, min(self.timeout, self.deadline - time.monotonic()))

    def _send(self, method, path, json_body=None, form=None, query=None, auth=True):
        url = self.url + path
        if query:
            url += "?" + urllib.parse.urlencode(query)
        headers = {"Accept": "application/json", "User-Agent": "portsip-infra-helper/1"}
        data = None
        if json_body is not None:
            data = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        elif form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif method == "POST":
            data = b""
        if auth:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        timeout = self._request_timeout()
        try:
            with self.opener.open(request, timeout=timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as e:
            try:
                raw = e.read()
            except Exception:  # noqa: BLE001 - the body of an error is a nicety
                raw = b""
            raise _parse_errors(e.code, raw) from None
        except urllib.error.URLError as e:
            raise self._unreachable(e.reason, timeout) from None
        except (OSError, http.client.HTTPException) as e:
            raise self._unreachable(e, timeout) from None
        if not raw.strip():
            return status, None
        try:
            return status, json.loads(raw)
        except ValueError:
            raise Failure(f"{method} {path} answered HTTP {status} with a body that is not JSON") from None

    def _unreachable(self, reason, timeout) -> Failure:
        if isinstance(reason, CertificateMismatch):
            return Untrusted(
                f"PortSIP API at {self.url} presented a TLS certificate with SHA-256 fingerprint {reason.presented}, "
                "not the pinned one (portalCertificateSha256); nothing was sent. If the PBX's certificate was "
                "renewed, read the new fingerprint on the PBX itself and pin that one")
        if isinstance(reason, ssl.SSLCertVerificationError):
            why = one_line(getattr(reason, "verify_message", "") or reason)
            seen = presented_fingerprint(self.url, timeout)
            seen_text = f"; it presented the certificate with SHA-256 fingerprint {seen}" if seen else ""
            return Untrusted(
                f"PortSIP API at {self.url} presented a TLS certificate that is not trusted ({why}){seen_text}; "
                "nothing was sent. Pin the PBX's certificate (portalCertificateSha256, after checking the "
                "fingerprint on the PBX itself) or give the CA that issued it (portalCaFile)")
        if isinstance(reason, ssl.SSLError):
            return Unreachable(f"PortSIP API at {self.url} is unreachable: TLS error: {one_line(reason)}")
        if isinstance(reason, (socket.timeout, TimeoutError)):
            return Unreachable(f"PortSIP API at {self.url} is unreachable: no answer within {timeout:g}s")
        if isinstance(reason, ConnectionRefusedError):
            return Unreachable(f"PortSIP API at {self.url} is unreachable: connection refused")
        return Unreachable(f"PortSIP API at {self.url} is unreachable: {one_line(reason)}")

    # -- authentication ---------------------------------------------------------------------------------------

    def login(self) -> None:
        if self.login_method in ("auto", "json"):
            try:
                _, body = self._send("POST", "/login", json_body={"username": self.username, "password": self.password},
                                     auth=False)
            except ApiError as e:
                if self.login_method == "auto" and e.status in (404, 405, 501):
                    body = None  # no JSON login on this server: use OAuth
                elif _looks_like_login_refusal(e):
                    raise CredentialsRefused(f"the PortSIP API refused the admin credentials ({e})") from None
                else:
                    raise Failure(f"login failed: {e}") from None
            token = body.get("access_token") if isinstance(body, dict) else None
            if isinstance(token, str) and token:
                self.token = token
                _SECRETS.append(token)
                return
            if self.login_method == "json":
                raise Failure("POST /login answered without an access_token")
        form = {"grant_type": "password", "username": self.username, "password": self.password, "scope": "all",
                "client_id": OAUTH_CLIENT_ID}
        try:
            _, body = self._send("POST", "/login/oauth/token", form=form, auth=False)
        except ApiError as e:
            if _looks_like_login_refusal(e):
                raise CredentialsRefused(f"the PortSIP API refused the admin credentials ({e})") from None
            raise Failure(f"login failed: {e}") from None
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise Failure("POST /login/oauth/token answered without an access_token")
        self.token = token
        _SECRETS.append(token)

    def call(self, method, path, json_body=None, query=None):
        if self.token is None:
            self.login()
        try:
            return self._send(method, path, json_body=json_body, query=query)
        except ApiError as e:
            if e.status != 401:
                raise
        # The token may have expired (1800 s) during a long wait: log in again once.
        self.token = None
        self.login()
        try:
            return self._send(method, path, json_body=json_body, query=query)
        except ApiError as e:
            if e.status == 401:
                raise CredentialsRefused(f"the PortSIP API refused the admin credentials ({e})") from None
            raise

    def get(self, path, query=None):
        return self.call("GET", path, query=query)[1]

    def post(self, path, body=None):
        return self.call("POST", path, json_body=body)[1]

    def list_all(self, path) -> list[dict]:
        """Every item of a collection, page by page (skip/top)."""
        items: list[dict] = []
        skip = 0
        for _ in range(MAX_PAGES):
            body = self.get(path, query={"skip": skip, "top": PAGE_SIZE})
            if not isinstance(body, dict):
                raise Failure(f"GET {path} answered without a collection")
            page = body.get("items") or []
            if not isinstance(page, list):
                raise Failure(f"GET {path} answered with items that are not a list")
            items.extend(i for i in page if isinstance(i, dict))
            skip += len(page)
            count = body.get("count")
            if not page or len(page) < PAGE_SIZE or (isinstance(count, int) and skip >= count):
                return items
        raise Failure(f"GET {path} returned more than {MAX_PAGES} pages")


# ---------------------------------------------------------------------------------------------------------------
# Actions


def find_servers(api: Api, kind: Kind, name: str) -> list[dict]:
    return [s for s in api.list_all(kind.path) if s.get("name") == name]


def find_server(api: Api, kind: Kind, name: str) -> dict | None:
    matches = find_servers(api, kind, name)
    if len(matches) > 1:
        ids = ", ".join(str(s.get("id")) for s in matches)
        raise Failure(f"{len(matches)} {kind.name} servers are named {name} (ids {ids}); remove the duplicates in "
                      "the Web Portal")
    return matches[0] if matches else None


def _ip(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _fmt(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "(none)" if value is None or value == "" else str(value)


def action_register(api: Api, a) -> None:
    kind = KINDS[a.kind]
    existing = find_server(api, kind, a.name)
    if existing is None:
        body = {"name": a.name, "enabled": a.enabled, kind.ip_field: a.private_ip}
        if kind.name == "media":
            if a.public_ip:
                body["public_ipv4"] = a.public_ip
            if a.max_sessions is not None:
                body["max_concurrency"] = a.max_sessions
        if kind.name == "meeting":
            body["max_rooms"] = DEFAULT_MAX_ROOMS if a.max_rooms is None else a.max_rooms
            body["max_participants"] = DEFAULT_MAX_PARTICIPANTS if a.max_participants is None else a.max_participants
        try:
            created = api.post(kind.path, body)
        except Failure as e:
            raise Failure(f"{e}; nothing was created") from None
        server_id = created.get("id") if isinstance(created, dict) else None
        if not server_id:
            try:
                found = find_server(api, kind, a.name)
            except Failure as e:
                raise Failure(f"the API accepted the new server but did not return its id, and listing it failed: "
                              f"{e}") from None
            if found is None:
                raise Failure(f"the API accepted the new server but no {kind.name} server named {a.name} is listed")
            server_id = found.get("id")
        say(f"registered {kind.name} server {a.name} (id {server_id})")
        return

    server_id = existing.get("id")
    if existing.get("type") == "INTERNAL":
        raise Failure(f"{a.name} is the built-in INTERNAL {kind.name} server of the main server (id {server_id}); "
                      "give the extended server another name")
    have_ip = _ip(existing.get(kind.ip_field))
    if have_ip and have_ip != a.private_ip:
        raise Failure(f"it is registered already (id {server_id}) with IPv4 {have_ip}, not {a.private_ip}, and the "
                      "API cannot change a server's address; unregister it first")
    if kind.public_ip_field:
        have_public = _ip(existing.get(kind.public_ip_field))
        if have_public != (a.public_ip or ""):
            raise Failure(f"it is registered already (id {server_id}) with public IPv4 {_fmt(have_public)}, not "
                          f"{_fmt(a.public_ip)}, and the API cannot change a server's address; unregister it first")

    wanted = {"enabled": a.enabled}
    if kind.name == "media" and a.max_sessions is not None:
        wanted["max_concurrency"] = a.max_sessions
    if kind.name == "meeting":
        if a.max_rooms is not None:
            wanted["max_rooms"] = a.max_rooms
        if a.max_participants is not None:
            wanted["max_participants"] = a.max_participants
    changes = {k: v for k, v in wanted.items() if k in kind.updatable and existing.get(k) != v}
    if not changes:
        say(f"adopted {kind.name} server {a.name} (id {server_id}); it is registered with these settings already")
        return
    try:
        api.post(f"{kind.path}/{server_id}", changes)
    except Failure as e:
        raise Failure(f"{e}; the server stays registered (id {server_id}) with its old settings") from None
    described = ", ".join(f"{k} {_fmt(existing.get(k))} -> {_fmt(v)}" for k, v in changes.items())
    say(f"updated {kind.name} server {a.name} (id {server_id}): {described}")


def action_unregister(api: Api, a) -> None:
    kind = KINDS[a.kind]
    existing = find_server(api, kind, a.name)
    if existing is None:
        say(f"{kind.name} server {a.name} was not registered; nothing to do")
        return
    server_id = existing.get("id")
    if existing.get("type") == "INTERNAL":
        raise Failure(f"{a.name} is the built-in INTERNAL {kind.name} server (id {server_id}); it is never deleted")
    have_ip = _ip(existing.get(kind.ip_field))
    if a.private_ip and have_ip and have_ip != a.private_ip:
        # A delete acts on its own server only: this name now stands for a server at another address.
        say(f"{kind.name} server {a.name} (id {server_id}) left as it is: the portal shows it at {have_ip}, not "
            f"{a.private_ip}, so it is another server now")
        return
    try:
        api.post(f"{kind.path}/{server_id}/destroy")
    except ApiError as e:
        # Gone in the meantime (404, or 400 "invalid ID" for media) is what we want; anything else is a failure.
        try:
            still = find_server(api, kind, a.name)
        except Failure:
            still = existing
        if still is not None:
            raise Failure(f"{e}; the server is still registered (id {server_id})") from None
    say(f"unregistered {kind.name} server {a.name} (id {server_id})")


def _set_builtin_enabled(api: Api, kind: Kind, enabled: bool, done: list[str]) -> None:
    verb = "enabled" if enabled else "disabled"
    builtin = [s for s in api.list_all(kind.path) if s.get("type") == "INTERNAL"]
    if not builtin:
        warn(f"no built-in (INTERNAL) {kind.name} server is listed; nothing to {verb[:-1]}")
    for s in builtin:
        label = f"built-in {kind.name} server {s.get('name')} (id {s.get('id')})"
        if s.get("enabled") == enabled:
            say(f"{label} is {verb} already")
            continue
        api.post(f"{kind.path}/{s.get('id')}", {"enabled": enabled})
        say(f"{verb} {label}")
        done.append(f"{kind.name} {s.get('name')}")


def _no_extended_servers(api: Api, name: str) -> bool:
    """For the form without --kind: a kind keeps its built-in server as it is while extended servers of that
    kind are registered."""
    extended = [s for s in api.list_all(KINDS[name].path) if s.get("type") != "INTERNAL"]
    if extended:
        names = ", ".join(str(s.get("name")) for s in extended)
        say(f"built-in {name} server left as it is: extended {name} servers are registered ({one_line(names, 200)})")
        return False
    return True


def action_set_defaults_enabled(api: Api, a) -> None:
    done: list[str] = []
    kinds = [a.kind] if a.kind else list(KIND_ORDER)
    for index, name in enumerate(kinds):
        try:
            if a.kind or _no_extended_servers(api, name):
                _set_builtin_enabled(api, KINDS[name], a.enabled, done)
        except Failure as e:
            if a.kind:
                raise
            left = ", ".join(kinds[index:])
            changed = ", ".join(done) if done else "none"
            raise Failure(f"{e}; changed before the failure: {changed}; not done: {left}") from None


def _network(text: str):
    return ipaddress.ip_network(text.strip(), strict=False)


def _rule_network(rule: dict):
    try:
        return _network(str(rule.get("cidr", "")))
    except ValueError:
        return None


def _parse_time(text) -> datetime.datetime | None:
    if not isinstance(text, str) or not text:
        return None
    value = text.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.timezone.utc)


def action_whitelist_add(api: Api, a) -> None:
    net = a.network
    expires = a.expires_at
    rules = api.list_all("/ip_filters")
    mine = [r for r in rules if r.get("target") == "ACCEPT" and _rule_network(r) == net]
    for r in rules:
        other = _rule_network(r)
        if r.get("target") == "DENY" and other is not None and other.version == net.version and net.subnet_of(other):
            warn(f"DENY rule {r.get('cidr')} (id {r.get('id')}) also matches {net}")
    if not mine:
        body = {"cidr": str(net), "target": "ACCEPT", "expire_at": expires, "description": a.description}
        try:
            created = api.post("/ip_filters", body)
        except Failure as e:
            raise Failure(f"{e}; no rule was added") from None
        rule_id = created.get("id") if isinstance(created, dict) else None
        say(f"whitelisted {net} (rule id {rule_id}, expires {expires})")
        return
    rule = mine[0]
    rule_id = rule.get("id")
    changes = {}
    if rule.get("description", "") != a.description:
        changes["description"] = a.description
    have = _parse_time(rule.get("expire_at"))
    want = _parse_time(expires)
    if have is not None and want is not None and have < want:
        changes["expire_at"] = expires
    if not changes:
        say(f"adopted whitelist rule {net} (id {rule_id}); it is there already")
        return
    try:
        api.post(f"/ip_filters/{rule_id}", changes)
    except Failure as e:
        raise Failure(f"{e}; the rule stays (id {rule_id}) with its old settings") from None
    described = ", ".join(f"{k} {_fmt(rule.get(k))} -> {_fmt(v)}" for k, v in changes.items())
    say(f"updated whitelist rule {net} (id {rule_id}): {described}")


def action_whitelist_remove(api: Api, a) -> None:
    net = a.network
    mine = [r for r in api.list_all("/ip_filters") if r.get("target") == "ACCEPT" and _rule_network(r) == net]
    if not mine:
        say(f"{net} was not whitelisted; nothing to do")
        return
    removed: list[str] = []
    for rule in mine:
        rule_id = str(rule.get("id"))
        try:
            api.post(f"/ip_filters/{rule_id}/destroy")
        except Failure as e:
            left = ", ".join(str(r.get("id")) for r in mine if str(r.get("id")) not in removed)
            raise Failure(f"{e}; removed: {', '.join(removed) or 'none'}; still there: rule id {left}") from None
        removed.append(rule_id)
        say(f"removed whitelist rule {net} (id {rule_id})")


def action_token(api: Api, a, which: str) -> None:
    path = f"/{which}/token"
    token = None
    if not a.regenerate:
        try:
            body = api.get(path)
        except ApiError as e:
            if e.status != 404:
                raise
            body = None
        token = body.get("token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token.strip():
        body = api.post(path)
        token = body.get("token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token.strip():
            raise Failure(f"POST {path} answered without a token")
    sys.stdout.write(token.strip())
    sys.stdout.flush()


def action_wait_online(api: Api, a) -> None:
    kind = KINDS[a.kind]
    start = time.monotonic()
    api.deadline = start + a.timeout
    existing = find_server(api, kind, a.name)
    if existing is None:
        raise Failure(f"no {kind.name} server named {a.name} is registered")
    server_id = existing.get("id")
    last = "(none)"
    while True:
        try:
            body = api.get(f"{kind.path}/{server_id}/status")
            status = body.get("status") if isinstance(body, dict) else None
            last = str(status) if status else "(no status in the answer)"
            if status == "ONLINE":
                say(f"{kind.name} server {a.name} (id {server_id}) is ONLINE")
                return
        except Unreachable as e:
            last = f"unknown ({e})"
        except ApiError as e:
            if e.status < 500:
                raise
            last = f"unknown ({e})"  # the PBX may be restarting: keep waiting
        remaining = api.deadline - time.monotonic()
        if remaining <= 0:
            raise TimedOut(f"{kind.name} server {a.name} is not ONLINE after {a.timeout:g}s; last status: {last}")
        time.sleep(min(a.interval, remaining))


# What each kind's status reports as its open sessions (the spec's fields); None: the status has no such figure.
SESSION_FIGURE = {"media": ("current_concurrency", "sessions"), "meeting": ("participants_count", "participants"),
                  "queue": None, "ivr": None}


def _drain_target(api: Api, kind: Kind, a) -> dict | None:
    """The server to drain or enable, or None (with a line saying why) when there is nothing of ours to act on."""
    existing = find_server(api, kind, a.name)
    if existing is None:
        say(f"{a.name}: no {kind.name} server of that name is registered; nothing to {a.action}")
        return None
    if existing.get("type") == "INTERNAL":
        raise Failure(f"{a.name} is the built-in INTERNAL {kind.name} server (id {existing.get('id')}); it is not "
                      f"this program's to {a.action}")
    have_ip = _ip(existing.get(kind.ip_field))
    if a.private_ip and have_ip and have_ip != a.private_ip:
        say(f"{a.name}: the portal shows it at {have_ip}, not {a.private_ip}, so it is another server now; left as it is")
        return None
    return existing


def _set_enabled(api: Api, kind: Kind, server: dict, enabled: bool) -> None:
    if server.get("enabled") == enabled:
        return
    api.post(f"{kind.path}/{server.get('id')}", {"enabled": enabled})


def _open_sessions(api: Api, kind: Kind, server_id, field: str) -> int:
    body = api.get(f"{kind.path}/{server_id}/status")
    value = body.get(field) if isinstance(body, dict) else None
    if isinstance(value, bool) or not isinstance(value, int):
        raise Failure(f"GET {kind.path}/{server_id}/status answered without {field}")
    return value


def action_drain(api: Api, a) -> None:
    kind = KINDS[a.kind]
    server = _drain_target(api, kind, a)
    if server is None:
        return
    server_id = server.get("id")
    _set_enabled(api, kind, server, False)
    say(f"{a.name}: disabled in the Web Portal (id {server_id}); new sessions go to the other servers")
    figure = SESSION_FIGURE[kind.name]
    if figure is None:
        say(f"{a.name}: the API reports no session figure for {kind.name} servers; not waited for")
        return
    field, unit = figure
    start = time.monotonic()
    api.deadline = start + a.timeout
    while True:
        left = _open_sessions(api, kind, server_id, field)
        remaining = api.deadline - time.monotonic()
        if left <= 0:
            say(f"{a.name}: 0 {unit} left; drained")
            return
        if remaining <= 0:
            text = f"{a.name}: {left} {unit} still open after {a.timeout:g} s of draining"
            if a.on_timeout == "proceed":
                warn(f"{text}; going on (drainTimeoutAction: proceed): they are cut")
                return
            raise NotDrained(f"{text}; stopped, nothing removed or restarted (drainTimeoutAction: fail). The server "
                             "stays disabled; wait for the calls to end, or raise drainTimeoutSeconds, then run again")
        say(f"{a.name}: {left} {unit} left, {max(0, round(remaining))} s left")
        time.sleep(min(a.interval, remaining))


def action_enable(api: Api, a) -> None:
    kind = KINDS[a.kind]
    server = _drain_target(api, kind, a)
    if server is None:
        return
    if server.get("enabled") is True:
        say(f"{a.name}: enabled in the Web Portal already")
        return
    _set_enabled(api, kind, server, True)
    say(f"{a.name}: enabled in the Web Portal (id {server.get('id')})")


def action_status(api: Api, a) -> None:
    kind = KINDS[a.kind]
    existing = find_server(api, kind, a.name)
    if existing is None:
        print("absent")
    elif existing.get("type") == "INTERNAL" or _ip(existing.get(kind.ip_field)) != a.private_ip:
        print("other-ip")
    else:
        body = api.get(f"{kind.path}/{existing.get('id')}/status")
        print("online" if isinstance(body, dict) and body.get("status") == "ONLINE" else "not-online")


def action_holders(api: Api, a) -> None:
    """Read only: one line `KIND NAME` per extended server the portal shows at the address (built-in ones left
    out), and `im -` when the IM server is configured there."""
    for kind_name in KIND_ORDER:
        kind = KINDS[kind_name]
        for server in api.list_all(kind.path):
            if server.get("type") != "INTERNAL" and _ip(server.get(kind.ip_field)) == a.ip:
                print(f"{kind.name} {server.get('name')}")
    try:
        im = api.get("/im")
    except ApiError as e:
        if e.status != 404:  # no IM server configured
            raise
        im = None
    if isinstance(im, dict) and _ip(im.get("private_ipv4")) == a.ip:
        print("im -")


# ---------------------------------------------------------------------------------------------------------------
# Command line


class Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, not the usage block
        raise Usage(f"{self.prog}: {message}")


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "yes", "1"):
        return True
    if lowered in ("false", "no", "0"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, not {text!r}")


def _whole_number(text: str, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(
            f"expected a number of 1 or more, not {value}" if minimum == 1 else f"expected {minimum} or more, not {value}")
    return value


def _positive_int(text: str) -> int:
    return _whole_number(text, 1)


def _count(text: str) -> int:
    return _whole_number(text, 0)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, not {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, not {text}")
    return value


def _ipv4(text: str) -> str:
    try:
        return str(ipaddress.IPv4Address(text.strip()))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an IPv4 address") from None


def _whitelist_ip(text: str):
    try:
        return _network(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an IP address") from None


def _expires(text: str) -> str:
    parsed = _parse_time(text)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not an RFC 3339 date-time such as 2099-12-31T23:59:59Z")
    return parsed.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_parser() -> Parser:
    p = Parser(prog="portsip_api.py", description="PortSIP Web Portal steps through the REST API; connection JSON "
                                                  "on stdin.")
    sub = p.add_subparsers(dest="action", required=True, parser_class=Parser)
    kinds = list(KIND_ORDER)

    r = sub.add_parser("register", help="register (or adopt and update) an extended server")
    r.add_argument("--kind", required=True, choices=kinds)
    r.add_argument("--name", required=True)
    r.add_argument("--private-ip", required=True, type=_ipv4)
    r.add_argument("--public-ip", type=_ipv4, help="media only")
    r.add_argument("--max-sessions", type=_positive_int, help="media only: max_concurrency")
    r.add_argument("--max-rooms", type=_count, help=f"meeting only (default {DEFAULT_MAX_ROOMS} when created)")
    r.add_argument("--max-participants", type=_count,
                   help=f"meeting only (default {DEFAULT_MAX_PARTICIPANTS} when created)")
    r.add_argument("--enabled", type=_bool, default=True)

    u = sub.add_parser("unregister", help="delete an extended server by name")
    u.add_argument("--kind", required=True, choices=kinds)
    u.add_argument("--name", required=True)
    u.add_argument("--private-ip", type=_ipv4, help="only when the portal shows the server at this address")

    d = sub.add_parser("set-defaults-enabled", help="enable or disable the built-in INTERNAL server of a kind")
    d.add_argument("--kind", choices=kinds)
    d.add_argument("--enabled", required=True, type=_bool)

    w = sub.add_parser("whitelist-add", help="ACCEPT rule for one IP")
    w.add_argument("--ip", required=True, type=_whitelist_ip, dest="network")
    w.add_argument("--description", required=True)
    w.add_argument("--expires", type=_expires, default=DEFAULT_EXPIRES, dest="expires_at")

    wr = sub.add_parser("whitelist-remove", help="remove the ACCEPT rule for one IP")
    wr.add_argument("--ip", required=True, type=_whitelist_ip, dest="network")

    for which in ("im", "sbc"):
        t = sub.add_parser(f"{which}-token", help=f"print the {which.upper()} token")
        t.add_argument("--regenerate", action="store_true")

    o = sub.add_parser("wait-online", help="wait until an extended server is ONLINE")
    o.add_argument("--kind", required=True, choices=kinds)
    o.add_argument("--name", required=True)
    o.add_argument("--timeout", required=True, type=_seconds)
    o.add_argument("--interval", type=_seconds, default=5.0)

    st = sub.add_parser("status", help="is an extended server registered under this name at this IP and ONLINE?")
    st.add_argument("--kind", required=True, choices=kinds)
    st.add_argument("--name", required=True)
    st.add_argument("--private-ip", required=True, type=_ipv4)
    h = sub.add_parser("holders", help="which extended servers (and the IM server) the portal shows at an address")
    h.add_argument("--ip", required=True, type=_ipv4)
    for action, help_text in (("drain", "disable an extended server and wait until its sessions end"),
                              ("enable", "enable an extended server again")):
        dr = sub.add_parser(action, help=help_text)
        dr.add_argument("--kind", required=True, choices=kinds)
        dr.add_argument("--name", required=True)
        dr.add_argument("--private-ip", type=_ipv4, help="only when the portal shows the server at this address")
        if action == "drain":
            dr.add_argument("--timeout", required=True, type=_seconds)
            dr.add_argument("--interval", type=_seconds, default=5.0)
            dr.add_argument("--on-timeout", choices=("fail", "proceed"), default="fail")
    return p


def check_args(a) -> None:
    if a.action == "set-defaults-enabled" and a.kind is None and not a.enabled:
        raise Usage("portsip_api.py set-defaults-enabled: --enabled false needs --kind: a built-in server is "
                    "disabled only for a kind that has extended servers")
    if a.action != "register":
        return
    if a.kind != "media":
        for option, value in (("--public-ip", a.public_ip), ("--max-sessions", a.max_sessions)):
            if value is not None:
                raise Usage(f"portsip_api.py register: {option} applies to media servers only")
    if a.kind != "meeting":
        for option, value in (("--max-rooms", a.max_rooms), ("--max-participants", a.max_participants)):
            if value is not None:
                raise Usage(f"portsip_api.py register: {option} applies to meeting servers only")
    if len(a.name) == 0:
        raise Usage("portsip_api.py register: --name is empty")


def read_connection(text: str) -> dict:
    if not text.strip():
        raise Usage("expects the connection settings as one JSON object on stdin; stdin was empty")
    try:
        conn = json.loads(text)
    except ValueError as e:
        raise Usage(f"the connection settings on stdin are not JSON ({e.msg} at line {e.lineno})") from None
    if not isinstance(conn, dict):
        raise Usage("the connection settings on stdin must be one JSON object")
    for key in ("api_url", "username", "password"):
        if not isinstance(conn.get(key), str) or not conn[key]:
            raise Usage(f"the connection settings on stdin lack {key!r}")
    _SECRETS.append(conn["password"])
    url = urllib.parse.urlsplit(conn["api_url"])
    if url.scheme not in ("http", "https") or not url.netloc:
        raise Usage(f"api_url {conn['api_url']!r} is not an http(s) URL")
    flags = {}
    for key in ("allow_http", "insecure_tls"):
        flags[key] = conn.get(key, False)
        if not isinstance(flags[key], bool):
            raise Usage(f"{key} must be true or false")
    pin = None
    if conn.get("certificate_sha256") is not None:
        pin = normalize_pin(conn["certificate_sha256"])
        if pin is None:
            raise Usage(f"certificate_sha256 {conn['certificate_sha256']!r} is not a SHA-256 fingerprint (64 hex "
                        "digits, colons allowed)")
    ca_pem = conn.get("ca_pem")
    if ca_pem is not None and (not isinstance(ca_pem, str) or "-----BEGIN CERTIFICATE-----" not in ca_pem):
        raise Usage("ca_pem must be the PEM text of one or more CA certificates")
    if pin and ca_pem:
        raise Usage("give certificate_sha256 or ca_pem, not both")
    if url.scheme == "http":
        if not flags["allow_http"]:
            raise Usage(f"api_url {conn['api_url']!r} is plain http: the admin password would travel in clear; "
                        "use https (http is accepted only with allow_http: true)")
        if pin or ca_pem:
            raise Usage(f"api_url {conn['api_url']!r} is plain http: there is no certificate to check")
    timeout = conn.get("timeout", DEFAULT_REQUEST_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise Usage("timeout must be a positive number of seconds")
    login = conn.get("login", "auto")
    if login not in ("auto", "json", "oauth"):
        raise Usage("login must be auto, json or oauth")
    return {"api_url": conn["api_url"], "username": conn["username"], "password": conn["password"],
            "certificate_sha256": pin, "ca_pem": ca_pem, "insecure_tls": flags["insecure_tls"],
            "timeout": float(timeout), "login": login}


def describe(a) -> str:
    if a.action in ("register", "unregister"):
        return f"{a.action} {a.kind} server {a.name}"
    if a.action in ("wait-online", "status", "drain", "enable"):
        return f"{a.action} {a.kind} server {a.name}"
    if a.action == "set-defaults-enabled" and a.kind:
        return f"set-defaults-enabled {_fmt(a.enabled)} (built-in {a.kind} server)"
    if a.action == "set-defaults-enabled":
        return f"set-defaults-enabled {_fmt(a.enabled)} (built-in servers of the kinds without extended servers)"
    if a.action in ("whitelist-add", "whitelist-remove"):
        return f"{a.action} {a.network}"
    if a.action == "holders":
        return f"holders of {a.ip}"
    return a.action


ACTIONS = {
    "register": action_register,
    "unregister": action_unregister,
    "set-defaults-enabled": action_set_defaults_enabled,
    "whitelist-add": action_whitelist_add,
    "whitelist-remove": action_whitelist_remove,
    "im-token": lambda api, a: action_token(api, a, "im"),
    "sbc-token": lambda api, a: action_token(api, a, "sbc"),
    "wait-online": action_wait_online,
    "status": action_status,
    "holders": action_holders,
    "drain": action_drain,
    "enable": action_enable,
}


def main(argv: list[str]) -> int:
    try:
        a = build_parser().parse_args(argv)
        check_args(a)
        if sys.stdin is None or sys.stdin.isatty():
            raise Usage("expects the connection settings as one JSON object on stdin")
        conn = read_connection(sys.stdin.read())
    except Usage as e:
        sys.stderr.write(_redact(one_line(str(e), 1000)) + "\n")
        return 2
    what = describe(a)
    try:
        ACTIONS[a.action](Api(conn), a)
    except (TimedOut, NotDrained) as e:
        sys.stderr.write(_redact(one_line(str(e), 1000)) + "\n")
        return 1
    except Failure as e:
        sys.stderr.write(_redact(one_line(f"{what} failed: {e}", 1000)) + "\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(f"{what} interrupted\n")
        return 130
    except Exception as e:  # noqa: BLE001 - one line, never a traceback that could hold a secret
        sys.stderr.write(_redact(one_line(f"{what} failed: unexpected {type(e).__name__}: {e}", 1000)) + "\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
