"""astropy peer: Cutout2D + writeto, the image opened for every stamp (as a user script would).
usage: bench_astropy.py IMAGE POSITIONS OUTDIR SIZE [MAXSTAMPS]; prints '<n> stamps in <s> s: <r> stamps/s'."""
import sys, time, warnings
from astropy.io import fits
from astropy.wcs import WCS
from astropy.nddata import Cutout2D
from astropy.coordinates import SkyCoord
import astropy.units as u

warnings.simplefilter("ignore")
image, positions, outdir, size = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
limit = int(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[5] else None
pos = [tuple(map(float, line.split()[:2])) for line in open(positions) if line.strip()]
if limit:
    pos = pos[:limit]
t0 = time.perf_counter()
for i, (ra, dec) in enumerate(pos):
    with fits.open(image) as hdul:
        hdu = next(h for h in hdul if h.is_image and h.header.get("NAXIS", 0) == 2)
        wcs = WCS(hdu.header)
        cut = Cutout2D(hdu.section, SkyCoord(ra * u.deg, dec * u.deg), (size, size), wcs=wcs)
        fits.PrimaryHDU(cut.data, header=cut.wcs.to_header()).writeto(f"{outdir}/a_{i:05d}.fits", overwrite=True)
dt = time.perf_counter() - t0
print(f"{len(pos)} stamps in {dt:.3f} s: {len(pos) / dt:.1f} stamps/s")
