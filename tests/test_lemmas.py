"""The Polish dictionary on disk answers as simplemma does, without its memory."""
import subprocess
import sys

import sqlite3

from scraper.archive.lemmas import DiskDictionaryFactory, ensure_table
from scraper.archive.search_index import MAX_DICTIONARY_WORD, index_text
from simplemma.strategies import DictionaryLookupStrategy


def test_lemmas_come_from_the_table_as_from_simplemma():
    lemmatise = DictionaryLookupStrategy(DiskDictionaryFactory()).get_lemma
    assert lemmatise("seniorów", "pl") == "senior"
    assert lemmatise("Łodzi", "pl") == "Łódź"
    assert lemmatise("budżetu", "pl") == "budżet"
    assert lemmatise("xyzzy", "pl") is None


def test_a_process_that_lemmatises_stays_small():
    ensure_table()
    # VmHWM, not ru_maxrss: the latter carries the parent's peak across fork and exec.
    script = ("import re; from scraper.archive.search_index import index_text;"
              "print(index_text('Seniorzy z Łodzi głosowali w budżecie obywatelskim'));"
              "status = open('/proc/self/status').read();"
              "print(int(re.search(r'VmHWM:\\s+(\\d+)', status).group(1)) // 1024)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    tokens, peak_mb = out.stdout.split("\n")[:2]
    assert "lodz" in tokens and "senior" in tokens
    assert int(peak_mb) < 150  # simplemma's own dict would add ~375 MB


def test_no_dictionary_form_is_longer_than_the_words_looked_up():
    with sqlite3.connect(ensure_table()) as table:
        (longest,) = table.execute("select max(length(form)) from lemmas").fetchone()
    assert 10 < longest <= MAX_DICTIONARY_WORD


def test_a_word_too_long_for_the_dictionary_is_indexed_as_written():
    long_word = "Zażółć" + "x" * MAX_DICTIONARY_WORD
    assert index_text(f"Seniorów {long_word} Łodzi").split() == ["senior", "zazolc" + "x" * MAX_DICTIONARY_WORD, "lodz"]
