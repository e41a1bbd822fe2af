"""Polish calendar words as data, and the few date formats the replicas print."""
from __future__ import annotations

from datetime import date, datetime

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
    """RSS pubDate; a plain date is taken as noon."""
    moment = d if isinstance(d, datetime) else datetime(d.year, d.month, d.day, 12)
    return (f"{RFC822_DAYS[moment.weekday()]}, {moment.day:02d} {RFC822_MONTHS[moment.month - 1]} "
            f"{moment.year} {moment:%H:%M:%S} +0100")
