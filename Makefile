# streamlake: the two commands are `make demo` and `make test`; every target installs what it needs.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
CHECKOV_VENV := .venv-checkov
NODE_STAMP := node_modules/.install-stamp
VENV_STAMP := $(VENV)/.install-stamp
CHECKOV_STAMP := $(CHECKOV_VENV)/.install-stamp
LOCAL_TEMPLATE := build/local/cloudformation-template-update-stack.json
# Spark's Avro data source (Glue 5 ships it); fetched into the local Maven repository for pytest.
SPARK_AVRO := org.apache.spark:spark-avro_2.12:3.5.9
SPARK_AVRO_JAR := $(HOME)/.m2/repository/org/apache/spark/spark-avro_2.12/3.5.9/spark-avro_2.12-3.5.9.jar
PROD_TEMPLATE := build/prod/cloudformation-template-update-stack.json

# The Serverless Framework (v3 line) runs offline: no telemetry, no update checks.
export SLS_TELEMETRY_DISABLED := 1
export SLS_NOTIFICATIONS_MODE := off
export SLS_DEPRECATION_DISABLE := *
# Local tooling runs on Node 20; the deployed functions run on nodejs22.x.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED := true
SLS := npx --no-install serverless

.PHONY: help deps demo demo-check test typecheck lint test-unit test-integration pytest template-check \
        package package-local local-up local-down local-lake bench redrive clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(NODE_STAMP): package-lock.json package.json
	npm ci --no-audit --no-fund
	@touch $@

$(VENV_STAMP): requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

$(CHECKOV_STAMP): requirements-checkov.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-checkov.txt
	@touch $@

# In CI the jar is required (the Avro reader test fails without it); elsewhere the test is skipped.
$(SPARK_AVRO_JAR):
	mvn -q dependency:get -Dartifact=$(SPARK_AVRO) -Dtransitive=false \
	  || { if [ -n "$$CI" ]; then echo "error: could not fetch $(SPARK_AVRO)" >&2; exit 1; fi; \
	       echo "warning: could not fetch $(SPARK_AVRO); the Avro reader test will be skipped"; }

deps: $(NODE_STAMP) $(VENV_STAMP) ## install npm packages and the Python venv (only when their pins changed)

package-local: $(NODE_STAMP) ## package the local stage (the template the local AWS is provisioned from)
	$(SLS) package --stage local --package build/local

package: $(NODE_STAMP) ## package the prod stage, as `serverless deploy --stage prod` would
	$(SLS) package --stage prod --package build/prod

demo: deps package-local ## run the whole pipeline on the local AWS and print what happened
	npx --no-install tsx local/demo.ts

test: typecheck lint test-unit pytest template-check test-integration demo-check ## every check CI runs
	@echo "make test: all checks passed"

# The README's first command end to end, at its default size: a demo that fails or runs past 15
# minutes fails the tests (log in build/).
demo-check: deps package-local ## run make demo quietly; print its summary, or its log's end on failure
	@env -u RECORDS -u SHARDS -u SEED timeout 900 npx --no-install tsx local/demo.ts > build/demo.log 2>&1 \
		|| { tail -40 build/demo.log; exit 1; }
	@sed -n '/== Summary/,$$p' build/demo.log

typecheck: $(NODE_STAMP) ## TypeScript, tests included
	npx --no-install tsc -p tsconfig.json

lint: $(NODE_STAMP) ## Biome lint and format check
	npx --no-install biome check .

test-unit: $(NODE_STAMP) ## vitest unit project
	npx --no-install vitest run --project unit

test-integration: deps package-local ## vitest integration project against moto
	npx --no-install vitest run --project integration

pytest: $(VENV_STAMP) $(SPARK_AVRO_JAR) ## Glue PySpark tests on local Spark
	$(VENV)/bin/python -m pytest glue/tests test/local-aws -q

template-check: deps $(CHECKOV_STAMP) package ## cfn-lint, cfn-lint-serverless, checkov and the template test on the prod template
	$(VENV)/bin/cfn-lint --config-file .cfnlintrc.yaml -- $(PROD_TEMPLATE)
	$(VENV)/bin/cfn-lint --config-file .cfnlintrc.yaml -a cfn_lint_serverless.rules -- $(PROD_TEMPLATE)
	$(CHECKOV_VENV)/bin/checkov --quiet --compact --framework cloudformation \
	  --config-file .checkov.yaml -f $(PROD_TEMPLATE)
	npx --no-install vitest run --project template

local-up: deps package-local ## start the local AWS in the background and provision the stack
	npx --no-install tsx local/aws/cli.ts up

local-down: ## stop the local AWS started by local-up
	npx --no-install tsx local/aws/cli.ts down

local-lake: $(NODE_STAMP) ## copy the raw zone of the local AWS started by local-up into lake/raw/ (for glue/local_run.py)
	npx --no-install tsx local/aws/cli.ts copy raw/ lake

bench: deps package-local ## benchmarks: figures and their same-run baselines as JSON under bench/out/
	npx --no-install tsx bench/ingest.ts
	npx --no-install tsx bench/two-threads.ts
	npx --no-install tsx bench/parquet-writers.ts
	npx --no-install tsx bench/snappy.ts
	npx --no-install tsx bench/runtime.ts

redrive: deps ## re-ingest quarantined records or given-up batches: make redrive ARGS="quarantine --stage local"
	npx --no-install tsx local/redrive.ts $(ARGS)

# .local-aws records a running local AWS; only `make local-down` removes it, after stopping it.
clean: ## remove build output (keeps node_modules, the venvs and a running local AWS)
	rm -rf build .esbuild .serverless bench/out
