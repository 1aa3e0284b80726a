"""Writes a plot through parkland's OGC API with OWSLib 0.35 as a GIS script would:
collection_item_create (POST), collection_item_update (PUT of the feature as read, with
a land user set) and collection_item_delete — with a token for blind writes as the Basic
password, since OWSLib sends neither If-Match nor a bearer token of its own. Prints what
it saw as JSON for the Rust test."""
import json
import sys

import requests
from owslib.ogcapi.features import Features
from owslib.util import Authentication

url, token, park, square = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
api = Features(url, auth=Authentication("owslib", token))

new = {
    "type": "Feature",
    "properties": {"park_id": park, "code": "OWSLIB-01", "land_use": "100102", "status": "available"},
    "geometry": square,
}
api.collection_item_create("plots", new)
location = api.response_headers["Location"]
plot_id = location.rsplit("/items/", 1)[1]
created = api.collection_item("plots", plot_id)

changed = dict(created)
changed["properties"] = dict(created["properties"], land_user="清远市某某新材料有限公司", status="supplied", supplied_on="2026-12-01")
api.collection_item_update("plots", plot_id, changed)
replaced = api.collection_item("plots", plot_id)

api.collection_item_delete("plots", plot_id)
after_delete = requests.get(f"{url}/collections/plots/items/{plot_id}", timeout=30).status_code

print(json.dumps({"id": int(plot_id), "created": created, "replaced": replaced, "after_delete": after_delete}, ensure_ascii=False))
