"""Normalisation on the way in, checked against the real defanged indicators Meta publishes."""

from __future__ import annotations

import pytest

from rrmdesk import Observable
from rrmdesk.observables import canonical_url, classify, host_of, normalise, refang
from tests.correlation.meta_indicators import networks

CASE = "case--00000000-0000-4000-8000-000000000001"


def _plain(value: str) -> str:
    """How an analyst refangs by hand: the brackets go, hxxp becomes http."""
    return value.replace("[.]", ".").replace("[at]", "@").replace("hxxp", "http")


def test_every_real_indicator_meets_its_refanged_form() -> None:
    checked = 0
    for net in networks():
        for kind, value in net.indicators:
            if "[" not in value and "hxxp" not in value:
                continue
            kind = kind or classify(value)
            assert classify(_plain(value)) == kind, value
            assert normalise(kind, value) == normalise(kind, _plain(value)), value
            assert "[" not in normalise(kind, value)
            checked += 1
    assert checked > 6000  # the files are mostly defanged


def test_hosts_are_lower_case_and_without_www_in_every_real_url_and_domain() -> None:
    for net in networks():
        for kind, value in net.indicators:
            kind = kind or classify(value)
            host = host_of(kind, normalise(kind, value))
            if kind in ("url", "domain"):
                assert host and host == host.lower() and not host.startswith("www."), value


@pytest.mark.parametrize(("value", "kind", "normalized"), [
    # from the Meta files
    ("https://twitter[.]com/BoltinMich2800", "url", "https://x.com/boltinmich2800"),
    ("twitter[.]com/s8175593", "url", "https://x.com/s8175593"),
    ("http://sk.pinterest.com/pin/915215955520561046", "url", "https://pinterest.com/pin/915215955520561046"),
    ("hxxp://youtube[.]com/@GovoritMD", "url", "https://youtube.com/@govoritmd"),
    ("https://www.youtube[.]com/channel/UCQ8TUByC9EmbhoUDaInIGeA", "url",
     "https://youtube.com/channel/UCQ8TUByC9EmbhoUDaInIGeA"),  # channel ids are case-sensitive
    ("https://www[.]reddit[.]com/user/Aware-Pay-2739/", "url", "https://reddit.com/user/aware-pay-2739"),
    ("https://rebrand.ly/Sabila_Nur_Video_Leaks", "url", "https://rebrand.ly/Sabila_Nur_Video_Leaks"),  # shortener: case kept
    ("https://t[.]me/IsraeltheSecond", "url", "https://t.me/israelthesecond"),
    ("https://www.change.org/p/zur-rationalisierung-der-ausgaben-f%C3%BCr-migranten", "url",
     "https://change.org/p/zur-rationalisierung-der-ausgaben-f%C3%BCr-migranten"),
    ("https://diy.rootsaction.org/petitions/tell?just_launched=true", "url",
     "https://diy.rootsaction.org/petitions/tell?just_launched=true"),
    ("45[.]141[.]152[.]19", "domain", "45.141.152.19"),
    ("www.tikvaodesa[.]com", "domain", "tikvaodesa.com"),
    ("7sabah[.]com[.]tr", "domain", "7sabah.com.tr"),
    ("info[at]amc239[.]com", "email", "info@amc239.com"),
    ("https://afgreview[.]com/", "url", "https://afgreview.com/"),
    # spellings analysts paste
    ("HXXPS://WWW.Example[.]COM:443/a/?utm_source=x&fbclid=1&b=2&a=1#frag", "url", "https://example.com/a?a=1&b=2"),
    ("http://example.com", "url", "https://example.com/"),
    ("https://x.com/Foo/status/1?s=20&t=abc", "url", "https://x.com/foo/status/1"),
    ("https://t.me/s/ReliableNews/", "url", "https://t.me/reliablenews"),
    ("https://youtu.be/dQw4w9WgXcQ?si=abc", "url", "https://youtube.com/watch?v=dQw4w9WgXcQ"),
    ("https://m.facebook.com/SomePage?mibextid=1", "url", "https://facebook.com/somepage"),
    ("https://пример.рф/", "url", "https://xn--e1afmkfd.xn--p1ai/"),
    ("@RRN_News", "handle", "rrn_news"),
    ("+33 (0)1 23-45-67-89", "phone", "+330123456789"),
    ("D41D8CD98F00B204E9800998ECF8427E", "hash", "d41d8cd98f00b204e9800998ecf8427e"),
])
def test_normalised_forms(value: str, kind: str, normalized: str) -> None:
    assert classify(value) == kind
    assert normalise(kind, value) == normalized
    assert Observable(case_id=CASE, value=value).normalized == normalized


def test_refang_variants() -> None:
    assert refang(" hXXps[://]evil(.)example{.}org[/]x ") == "https://evil.example.org/x"
    assert refang("user[@]mail[dot]ru") == "user@mail.ru"


def test_canonical_url_is_stable() -> None:
    for net in networks():
        for kind, value in net.indicators:
            if (kind or classify(value)) == "url":
                once = canonical_url(value)
                assert canonical_url(once) == once, value
