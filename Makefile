# Two set-up commands do everything on a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
OUT    ?= out/demo
WORKERS ?= 2
EUID    ?= $(shell id -u)
# Jupyter refuses to start as root (containers, CI) unless told to.
LAB_FLAGS := $(if $(filter 0,$(EUID)),--allow-root)

.PHONY: install demo test test-slow lab bench fuzz clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev,maps,browser]"
	$(PY) -m ipykernel install --sys-prefix --name govreports --display-name "govreports" >/dev/null
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

## The main job on the bundled real reports: extract -> validate -> dataset -> comparison HTML.
demo: install
	$(VENV)/bin/govreports extract data/reports/hongzequ_2023.pdf data/reports/hongzequ_2024.pdf data/reports/helanxian_2020.txt
	$(VENV)/bin/govreports build data/reports --out $(OUT)/dataset --workers $(WORKERS)
	$(VENV)/bin/govreports render all --dataset $(OUT)/dataset --out $(OUT)/html
	@echo "open: $(abspath $(OUT))/html/index.html"

## The whole test suite (fails when no test ran: pytest exits 5).
test: install
	$(PY) -m pytest -q -n 2 --durations=10

test-slow: install
	$(PY) -m pytest -q -n 2 -m slow

lab: install
	$(PY) -m pip install -q -e ".[lab]"
	@test -d $(OUT)/dataset || $(VENV)/bin/govreports build data/reports --out $(OUT)/dataset --workers $(WORKERS)
	GOVREPORTS_DATASET=$(abspath $(OUT))/dataset $(VENV)/bin/jupyter lab $(LAB_FLAGS) notebooks/

bench: install
	$(PY) benchmarks/extract.py

## The fuzz set (README "Robustness"): each hostile input extracted in its own process under a time limit
## and a memory cap; prints one line per input and the summary, fails on any traceback, hang or run over the cap.
fuzz: install
	$(PY) -m govreports.fuzz --root .

clean:
	rm -rf out .pytest_cache
