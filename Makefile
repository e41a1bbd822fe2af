# Two commands on a fresh machine:  `make demo`  and  `make test`.
# Python packages come from uv.lock; Debian packages (chromium, redis-server, nginx, tesseract-ocr-pol,
# poppler-utils: scripts/install-system-packages) via apt-get.

UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)

.PHONY: demo test bench setup system-packages

demo: setup system-packages  ## crawl the bundled offline replicas (and OCR their scanned attachments) into archive.db and serve it
	$(UV) run archiwum demo

test: setup system-packages  ## the whole test suite (what CI runs)
	$(UV) run pytest

bench: setup system-packages  ## the benchmark table (bench/README.md)
	$(UV) run python bench/run.py

setup: $(UV)
	$(UV) sync --frozen
	$(UV) run python -m scraper.archive.lemmas  # the Polish lemma table, built once per machine

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv==0.13.9

system-packages:
	scripts/install-system-packages
