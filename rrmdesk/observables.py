"""Observable values in one canonical form, so the same account or domain meets across cases.

Threat reports publish indicators defanged (``hxxps://example[.]com``) and analysts paste them
as found; correlation only works on the refanged, lower-cased, tracking-free form. The
normalised form is what ``Observable.normalized`` holds and what cross-case correlation compares
(``rrmdesk.correlation``); the value as pasted is kept beside it.

Rules, in the order they apply:
- refang: ``hxxp``, ``[.]``, ``(.)``, ``[dot]``, ``[:]``, ``[at]`` and their variants;
- URLs: scheme ``https`` (http and https of one address are one address), host lower-cased and
  IDNA-encoded, ``www.`` dropped, user info, default ports and fragments dropped, tracking
  parameters removed, the rest sorted, the path percent-encoded one way and without its
  trailing slash (the home page is ``https://host/``);
- platforms: each platform's host aliases meet (``twitter.com`` is ``x.com``, ``sk.pinterest.com``
  is ``pinterest.com``, ``telegram.me`` is ``t.me``), and the account part of the path is
  case-folded where that platform ignores case (an X handle, a Telegram channel) but not where
  it does not (a YouTube video or channel id, a shortened link);
- domains (and IP addresses, kept as domains: both name a host), e-mail and hashes lower-case;
  phone numbers digits only; handles without ``@``, case-folded.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

_DEFANG = [
    (re.compile(r"^h(xx|\[xx\]|\*\*)p", re.I), "http"),
    (re.compile(r"\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}|\[\.|\.\]", re.I), "."),
    (re.compile(r"\[://\]|\[:\]"), lambda m: m.group(0)[1:-1]),
    (re.compile(r"\[/\]"), "/"),
    (re.compile(r"\[@\]|\[at\]|\(at\)|\{at\}", re.I), "@"),
]
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
_HASH = re.compile(r"^([0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$", re.I)
_EMAIL = re.compile(r"^[^@\s/]+@[^@\s/]+\.[^@\s/]+$")
_PHONE = re.compile(r"^\+?[\d\s().-]{7,20}$")
_DOMAIN = re.compile(r"^([a-z0-9_-]+\.)+(xn--[a-z0-9-]+|[a-z]{2,63})$", re.I)
_HOST_PATH = re.compile(r"^([a-z0-9_-]+\.)+[a-z]{2,63}(:\d+)?[/?]", re.I)
_COUNTRY_SUFFIX = re.compile(r"^((co|com)\.)?[a-z]{2}$")
_PATH_SAFE = "/:@!$&'()*+,;=-._~"

#: query parameters that only say where a click came from; never part of what was shared
_TRACKING = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|twclid|ttclid|mc_[a-z]+|_ga|_gl"
    r"|igshid|igsh|ref_src|ref_url|mibextid|__cft__.*|__tn__|sfnsn|rdid|share_url)$",
    re.I,
)


class Platform:
    """How one platform writes its addresses: host aliases, extra tracking, case rules.

    ``fold`` says which path segments are case-insensitive: ``"all"`` for platforms whose
    paths are names (X, Telegram, Facebook), or the prefixes (``@``, ``c``, ``user``) after
    which a case-insensitive name follows.
    """

    def __init__(self, host: str, aliases: tuple[str, ...] = (), tracking: tuple[str, ...] = (),
                 fold: str | tuple[str, ...] = "all", subdomains: bool = False) -> None:
        self.host = host
        self.aliases = aliases
        self.tracking = frozenset(tracking)
        self.fold = fold
        self.subdomains = subdomains  # any subdomain is the same site (country mirrors)

    def path(self, path: str) -> str:
        if self.fold == "all":
            return path.casefold()
        parts = path.split("/")
        for i, part in enumerate(parts):
            if part.startswith("@") or (i > 0 and parts[i - 1] in self.fold):
                parts[i] = part.casefold()
        return "/".join(parts)


PLATFORMS: tuple[Platform, ...] = (
    Platform("facebook.com", ("m.facebook.com", "mbasic.facebook.com", "web.facebook.com", "touch.facebook.com",
                              "fb.com", "business.facebook.com"),
             ("__xts__", "eid", "paipv", "eav", "hc_ref", "ref", "locale", "_rdr")),
    Platform("instagram.com", ("m.instagram.com",), ("img_index", "hl", "utm_source")),
    Platform("x.com", ("twitter.com", "mobile.twitter.com", "m.twitter.com", "mobile.x.com"), ("s", "t", "lang")),
    Platform("t.me", ("telegram.me", "telegram.dog")),
    Platform("youtube.com", ("m.youtube.com", "music.youtube.com", "youtu.be"), ("si", "feature", "pp", "ab_channel"),
             fold=("c", "user")),
    Platform("tiktok.com", ("m.tiktok.com", "vm.tiktok.com"), ("_r", "_t", "is_from_webapp", "sender_device",
                                                               "is_copy_url", "lang"), fold=()),
    Platform("reddit.com", ("old.reddit.com", "new.reddit.com", "np.reddit.com", "m.reddit.com"), ("share_id", "context")),
    Platform("vk.com", ("m.vk.com", "vkontakte.ru")),
    Platform("ok.ru", ("m.ok.ru", "odnoklassniki.ru")),
    Platform("pinterest.com", subdomains=True),
    Platform("linkedin.com", subdomains=True, tracking=("trk", "trackingid", "lipi")),
    Platform("medium.com", fold=()),
    Platform("threads.net", ("threads.com",)),
    Platform("tumblr.com"),
    Platform("github.com"),
)
_BY_HOST = {alias: p for p in PLATFORMS for alias in (p.host, *p.aliases)}


def platform_of(host: str) -> Platform | None:
    """The platform a (normalised) host belongs to, if RRM Desk knows it."""
    found = _BY_HOST.get(host)
    if found is None:
        for platform in PLATFORMS:
            if platform.subdomains and host.endswith("." + platform.host):
                return platform
            name = platform.host.split(".")[0]
            if platform.subdomains and host.startswith(name + ".") and _COUNTRY_SUFFIX.match(host[len(name) + 1:]):
                return platform  # pinterest.co.uk, pinterest.fr
    return found


def refang(value: str) -> str:
    text = value.strip()
    for pattern, replacement in _DEFANG:
        text = pattern.sub(replacement, text)
    return text


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


def classify(value: str) -> str:
    """Guess the kind of a pasted value; analysts rarely say.

    IP addresses count as domains: both name a host, and a host is what correlates.
    """
    text = refang(value)
    if _SCHEME.match(text) or _HOST_PATH.match(text):
        return "url"
    if _EMAIL.match(text):
        return "email"
    if _HASH.match(text):
        return "hash"
    if _DOMAIN.match(text) or _is_ip(text):
        return "domain"
    if _PHONE.match(text) and sum(c.isdigit() for c in text) >= 7:
        return "phone"
    return "handle"


def canonical_host(host: str) -> str:
    """Lower-case, IDNA-encoded, without ``www.`` and a trailing dot; platform aliases meet."""
    text = host.strip().rstrip(".").lower()
    if text.startswith("www."):
        text = text[4:]
    if not text.isascii():
        try:
            text = text.encode("idna").decode("ascii")
        except UnicodeError:
            pass  # not a valid IDN; compare it as written
    platform = platform_of(text)
    return platform.host if platform else text


def canonical_url(value: str) -> str:
    text = refang(value)
    if not _SCHEME.match(text):
        text = "https://" + text
    parts = urlsplit(text)
    host = canonical_host(parts.hostname or "")
    try:
        port = parts.port
    except ValueError:
        port = None
    scheme = parts.scheme.lower()
    if scheme == "http":
        scheme = "https"
    netloc = host + (f":{port}" if port and port not in (80, 443) else "")
    platform = platform_of(host)
    drop = platform.tracking if platform else frozenset()
    pairs = [(k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k) and k.lower() not in drop]
    path = unquote(parts.path).rstrip("/")
    if (parts.hostname or "").lower() == "youtu.be" and path.count("/") == 1:
        path, pairs = "/watch", [*pairs, ("v", path[1:])]  # the short form of a video address
    elif platform:
        path = _platform_path(platform, path)
    path = quote(path, safe=_PATH_SAFE)
    return urlunsplit((scheme, netloc, path or "/", urlencode(sorted(pairs)), ""))


def _platform_path(platform: Platform, path: str) -> str:
    if platform.host == "t.me" and path.startswith("/s/"):
        path = path[2:]  # t.me/s/channel is the web preview of t.me/channel
    if platform.host == "reddit.com" and path.startswith("/u/"):
        path = "/user/" + path[3:]
    return platform.path(path)


def host_of(kind: str, normalized: str) -> str:
    """The host an observable lives on ('' for handles, phones, hashes).

    Must agree with ``rrmdesk.migrations.OBSERVABLE_HOST_SQL``, which indexes the same thing.
    """
    if kind == "domain":
        return normalized
    if kind == "email":
        return normalized.partition("@")[2]
    if kind == "url" and "://" in normalized:
        rest = normalized.split("://", 1)[1]
        return rest.split("/", 1)[0].split(":", 1)[0]
    return ""


def normalise(kind: str, value: str) -> str:
    text = refang(value)
    if kind == "url":
        return canonical_url(text)
    if kind == "domain":
        if _is_ip(text):
            return str(ipaddress.ip_address(text.strip("[]")))
        return canonical_host(text)
    if kind == "email":
        local, _, domain = text.lower().rpartition("@")
        return f"{local}@{canonical_host(domain)}" if local else text.lower()
    if kind == "hash":
        return text.lower()
    if kind == "phone":
        return ("+" if text.startswith("+") else "") + re.sub(r"\D", "", text)
    return text.lstrip("@").casefold()
