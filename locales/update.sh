#!/usr/bin/env bash
# Re-extract UI strings from handlers/ and merge them into every catalog.
# Afterwards translate the new or changed entries (empty or "#, fuzzy") in each .po file;
# tests/test_locales.py fails until every language is complete.
set -euo pipefail
cd "$(dirname "$0")/.."
pybabel extract -F locales/babel.cfg -k _ -k n_:1,2 --no-wrap --sort-by-file \
  --project=lotse --copyright-holder=lotse -o locales/messages.pot handlers
for po in locales/*/LC_MESSAGES/messages.po; do
  lang=$(basename "$(dirname "$(dirname "$po")")")
  # --ignore-obsolete drops removed entries; the Plural-Forms header of each file is kept as written.
  pybabel update -i locales/messages.pot -d locales -l "$lang" -D messages --no-wrap --ignore-obsolete --init-missing
done
