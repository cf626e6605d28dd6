#!/usr/bin/env python3
"""PStamp from the Virtual Observatory, with pyvo: find the fixture warps covering RA 150.02 Dec 1.98
through SIA 2, cut one through SODA sync, and cut all of them through an async UWS job; every stamp is
checked by astropy against its parent image (its WCS puts the requested position where the parent does).

    python3 docs/vo_example.py [SERVER]        # SERVER: default http://127.0.0.1:8080 (`make run`)

Needs pyvo and astropy (pip install pyvo astropy). Exits 0 when every check passed.
"""
import io
import sys

import numpy as np
import pyvo
import requests
from astropy import units as u
from astropy.io import fits, votable
from astropy.wcs import WCS

SERVER = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080").rstrip("/")
RA, DEC, RADIUS = 150.02, 1.98, 0.004  # degrees


def check_votable(url, **params):
    """Every VOTable we read is also checked by astropy: parsed with every warning an error, and validated."""
    text = requests.get(url, params=params, timeout=60).content
    votable.parse(io.BytesIO(text), verify="exception")
    report = votable.validate(io.BytesIO(text), output=None)
    assert "found no violations" in report, f"{url}: {report}"


def first_image(data):
    """The first HDU holding an image (a tile-compressed stamp's primary HDU is empty)."""
    hdus = fits.open(io.BytesIO(data))
    return next(h for h in hdus if h.is_image and h.data is not None and h.data.size > 0)


def check_stamp(hdu, parent, ra=RA, dec=DEC):
    """The stamp is a piece of its parent: every stamp pixel lands, through the parent's WCS, on a parent
    pixel at one whole-pixel offset (to 0.001 px), the pixels there are the stamp's (no other offset
    matches them better), and (ra, dec) is on the stamp."""
    parent_wcs = WCS(parent.header)
    stamp_wcs = WCS(hdu.header)
    assert hdu.data is not None and hdu.data.size > 0, "empty stamp"
    ny, nx = hdu.data.shape
    xs, ys = np.array([0, nx - 1, 0, nx - 1, nx // 2]), np.array([0, 0, ny - 1, ny - 1, ny // 2])
    px, py = parent_wcs.world_to_pixel_values(*stamp_wcs.pixel_to_world_values(xs, ys))
    dx, dy = px - xs, py - ys
    assert np.ptp(dx) < 1e-3 and np.ptp(dy) < 1e-3, f"the stamp's WCS is not its parent's: offsets {dx} {dy}"
    assert abs(dx[0] - round(dx[0])) < 1e-3 and abs(dy[0] - round(dy[0])) < 1e-3, f"offset {dx[0]}, {dy[0]} is not whole"
    ox, oy = int(round(dx[0])), int(round(dy[0]))

    def mismatch(sx, sy):
        x0, y0 = ox + sx, oy + sy
        x1, y1 = max(x0, 0), max(y0, 0)
        x2, y2 = min(x0 + nx, parent.data.shape[1]), min(y0 + ny, parent.data.shape[0])
        a = parent.data[y1:y2, x1:x2].astype(float)
        b = hdu.data[y1 - y0:y2 - y0, x1 - x0:x2 - x0].astype(float)
        ok = np.isfinite(a) & np.isfinite(b)
        return np.mean(np.abs(a[ok] - b[ok])) if ok.any() else np.inf

    scores = {(sx, sy): mismatch(sx, sy) for sx in (-1, 0, 1) for sy in (-1, 0, 1)}
    assert min(scores, key=scores.get) == (0, 0), f"the stamp's pixels are not its parent's at its WCS offset: {scores}"
    x, y = stamp_wcs.world_to_pixel_values(ra, dec)
    assert -0.5 <= x <= nx - 0.5 and -0.5 <= y <= ny - 0.5, f"({ra}, {dec}) is not on the stamp"


def parent_image(record):
    """The parent image, its own file (DataLink #this), read over HTTP."""
    links = record.getdatalink()
    this = next(link for link in links if link.semantics == "#this")  # bysemantics would fetch the vocabulary online
    return first_image(requests.get(this.access_url, timeout=120).content)


def main():
    # SIA 2: the warps covering the position.
    sia = pyvo.dal.SIA2Service(f"{SERVER}/sia")
    results = sia.search(pos=(RA * u.deg, DEC * u.deg, RADIUS * u.deg), calib_level=2)
    check_votable(f"{SERVER}/sia/query", POS=f"CIRCLE {RA} {DEC} {RADIUS}")
    warps = [r for r in results if r["obs_collection"] == "warp"]
    assert warps, "no warp found"
    print(f"SIA 2: {len(results)} calibrated images, {len(warps)} warps:")
    for r in warps:
        print(f"  {r['obs_publisher_did']}  {r['pstamp_state']}  MJD {r['t_min']:.5f}  {r['pstamp_filter']}")

    # SODA sync: one warp that is on disk, cut through pyvo's DataLink/SODA support.
    online = next(r for r in warps if r["pstamp_state"] == "full")
    check_votable(f"{SERVER}/datalink/links", ID=online["obs_publisher_did"])
    stream = online.processed(circle=[RA, DEC, RADIUS] * u.deg)
    stamp = first_image(stream.read())
    check_stamp(stamp, parent_image(online))
    print(f"SODA sync: {online['obs_publisher_did']} -> {stamp.data.shape[1]}x{stamp.data.shape[0]} stamp, WCS checked")

    # SODA async over UWS: all the warps (cleaned ones are restored first), one job.
    ids = [r["obs_publisher_did"] for r in warps]
    created = requests.post(
        f"{SERVER}/soda/async", data=[("ID", i) for i in ids] + [("CIRCLE", f"{RA} {DEC} {RADIUS}")], allow_redirects=False,
        timeout=60)
    assert created.status_code == 303, f"job creation answered {created.status_code}: {created.text}"
    job = pyvo.dal.AsyncTAPJob(created.headers["Location"], delete=False)
    assert job.phase == "PENDING", job.phase
    job.run()
    job.wait(timeout=300)
    job.raise_if_error()
    assert job.phase == "COMPLETED", job.phase
    uris = job.result_uris
    assert len(uris) == len(ids), f"{len(uris)} results for {len(ids)} warps"
    # The cleaned warps were restored for the job: every parent is on disk now.
    restored = {r["obs_publisher_did"]: r for r in sia.search(pos=(RA * u.deg, DEC * u.deg, RADIUS * u.deg), calib_level=2)}
    assert all(restored[i]["pstamp_state"] == "full" for i in ids), "a warp was not restored"
    for uri, did in zip(uris, ids):
        check_stamp(first_image(requests.get(uri, timeout=120).content), parent_image(restored[did]))
    print(f"SODA async: UWS job {job.job_id} COMPLETED with {len(uris)} stamps, WCS checked")
    job.delete()
    gone = requests.get(f"{SERVER}/soda/async/{job.job_id}/phase", timeout=30).text
    assert gone == "ARCHIVED", f"destroyed job is {gone}"
    print("UWS job destroyed (ARCHIVED); all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
