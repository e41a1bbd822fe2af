"""The Polish dictionary on disk answers as simplemma does, without its memory."""
import subprocess
import sys

from scraper.archive.lemmas import DiskDictionaryFactory, ensure_table
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
