// The phone's admission rule (offline.js, admissionDecide) against the cases the server's rule
// answers too (attendance/services/admission.py). Run: node --test tests/js/
"use strict";

const test = require("node:test");
const assert = require("node:assert");
const path = require("node:path");

const root = path.join(__dirname, "..", "..");
const { admissionDecide, groupDecide } = require(path.join(root, "attendance/static/attendance/offline.js"));
const { vectors, groups } = require(path.join(root, "attendance/static/attendance/admission_vectors.json"));

test("there are cases for the phone", () => {
  assert.ok(vectors.filter((c) => !c.server_only).length >= 40);
});

for (const c of vectors) {
  // server_only: what the phone cannot know (door access, nonces, what an upload carries).
  test(c.name, { skip: c.server_only ? "server only" : false }, () => {
    const decision = admissionDecide(c.context);
    assert.deepStrictEqual({ status: decision.status, write: decision.write }, c.expected);
  });
}

for (const c of groups) {
  test("group: " + c.name, { skip: c.server_only ? "server only" : false }, () => {
    assert.deepStrictEqual(groupDecide(c.scanned, c.members), c.expected);
  });
}
