"""Polish calendar words as data, and the few date formats the replicas print."""
from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

MONTHS_GENITIVE = ("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca",
                   "sierpnia", "września", "października", "listopada", "grudnia")
MONTHS_NOMINATIVE = ("styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec",
                     "sierpień", "wrzesień", "październik", "listopad", "grudzień")
MONTHS_ABBR = ("sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru")
WEEKDAYS = ("poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela")
WEEKDAYS_ABBR = ("pon.", "wt.", "śr.", "czw.", "pt.", "sob.", "niedz.")
RFC822_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
RFC822_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def long_date(d: date) -> str:
    """'10 kwietnia 2016'."""
    return f"{d.day} {MONTHS_GENITIVE[d.month - 1]} {d.year}"


def numeric_date(d: date) -> str:
    """'16.11.2023'."""
    return d.strftime("%d.%m.%Y")


def padded_long_date(d: date) -> str:
    """'01 lipca 2018'."""
    return f"{d.day:02d} {MONTHS_GENITIVE[d.month - 1]} {d.year}"


def joomla_date(d: datetime) -> str:
    """Joomla's `l, d F Y H:i` as seen on Starachowice: 'wtorek, 03, marzec 2020 14:55'."""
    return f"{WEEKDAYS[d.weekday()]}, {d.day:02d}, {MONTHS_NOMINATIVE[d.month - 1]} {d.year} {d:%H:%M}"


def drupal_date(d: datetime) -> str:
    """'czw., 18.05.2017 - 10:33'."""
    return f"{WEEKDAYS_ABBR[d.weekday()]}, {d:%d.%m.%Y - %H:%M}"


def bip_date(d: date) -> str:
    """'26 lip 2021'."""
    return f"{d.day} {MONTHS_ABBR[d.month - 1]} {d.year}"


def rfc822(d: date) -> str:
    """RSS pubDate in Polish local time."""
    moment = as_moment(d).replace(tzinfo=WARSAW)
    return (f"{RFC822_DAYS[moment.weekday()]}, {moment.day:02d} {RFC822_MONTHS[moment.month - 1]} "
            f"{moment.year} {moment:%H:%M:%S %z}")


WARSAW = ZoneInfo("Europe/Warsaw")
TRANSLITERATION = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


def as_moment(d: date) -> datetime:
    """A plain date is taken as noon."""
    return d if isinstance(d, datetime) else datetime(d.year, d.month, d.day, 12)


def warsaw_iso(d: date) -> str:
    """'2020-03-03T14:55:00+01:00': local Polish time with its offset (CET or CEST)."""
    return as_moment(d).replace(tzinfo=WARSAW).isoformat()


def slugify(text: str, lower: bool = True) -> str:
    """'Budżet Obywatelski 2021' -> 'budzet-obywatelski-2021' (or keeping case when lower=False)."""
    ascii_text = text.translate(TRANSLITERATION)
    words = re.findall(r"[A-Za-z0-9]+", ascii_text.lower() if lower else ascii_text)
    return "-".join(words)
