# parkland: two commands.
#   make run    install what the machine lacks, build, serve the demo on 127.0.0.1:8080
#   make test   the same set-up, then every test
.PHONY: run test setup build demo-data

CARGO ?= cargo

setup:
	@bash scripts/setup-system.sh
	@bash scripts/setup-web.sh

run: setup
	$(CARGO) build --release
	./target/release/parkland serve

test: setup
	@bash scripts/test.sh

# Regenerate geodata/ from the generator (commit the result).
demo-data:
	$(CARGO) run --release -- demo-data --out geodata
