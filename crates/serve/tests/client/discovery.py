"""Calls referee serve through Google's API client library for Python,
exactly as Perspective's getting-started sample does. The only changes
from production use are discoveryServiceUrl (this server instead of
commentanalyzer.googleapis.com) and the key.

Usage: REFEREE_URL=http://127.0.0.1:PORT REFEREE_KEY=KEY python discovery.py
Prints one JSON object with the outcome of each call on stdout.
"""
import json
import os

from googleapiclient import discovery
from googleapiclient.errors import HttpError

URL = os.environ["REFEREE_URL"]
API_KEY = os.environ["REFEREE_KEY"]


def build(key):
    # Perspective's sample, with its discoveryServiceUrl pointed at referee.
    return discovery.build(
        "commentanalyzer",
        "v1alpha1",
        developerKey=key,
        discoveryServiceUrl=URL + "/$discovery/rest?version=v1alpha1",
        static_discovery=False,
    )


def error(call):
    try:
        call.execute()
        return {"error": None}
    except HttpError as e:
        return {"status": e.status_code, "reason": e.reason}


client = build(API_KEY)
out = {}
analyze_request = {
    "comment": {"text": "You are a stupid idiot"},
    "requestedAttributes": {"TOXICITY": {}},
}
out["analyze"] = client.comments().analyze(body=analyze_request).execute()
out["suggest"] = client.comments().suggestscore(body={
    "comment": {"text": "You are a stupid idiot"},
    "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}},
    "clientToken": "moderator-1",
}).execute()
out["unknown_attribute"] = error(client.comments().analyze(body={
    "comment": {"text": "hello"},
    "requestedAttributes": {"FLIRTATION": {}},
}))
out["wrong_key"] = error(build("wrong-key").comments().analyze(body=analyze_request))
print(json.dumps(out))
