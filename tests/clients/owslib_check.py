"""Reads parkland's OGC API with OWSLib, as a GIS script would, and prints what it saw
as JSON for the Rust test to compare with the database."""
import json
import sys

from owslib.ogcapi.features import Features

url = sys.argv[1]
api = Features(url)
collections = [c["id"] for c in api.collections()["collections"]]
in_bbox = api.collection_items("plots", bbox=[113.07, 23.49, 113.09, 23.51], limit=1000)
filtered = api.collection_items(
    "plots", filter="status = 'idle' AND area_mu > 50", **{"filter-lang": "cql2-text"}, limit=1000
)
park = api.collection_item("parks", "GQ-04")
print(json.dumps({
    "collections": collections,
    "bbox_ids": sorted(f["id"] for f in in_bbox["features"]),
    "bbox_matched": in_bbox["numberMatched"],
    "filter_ids": sorted(f["id"] for f in filtered["features"]),
    "park_name": park["properties"]["name_zh"],
}, ensure_ascii=False))
