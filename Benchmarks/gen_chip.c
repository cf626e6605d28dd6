/* Generates the benchmark chip: a 4846x4868 float32 image with a TAN WCS (0.25"/px), sky noise and
 * stars, written uncompressed (chip.fits) and RICE tile-compressed with row tiles (chip_rice.fits),
 * plus N random stamp centres in sky (positions_sky.txt: "ra dec") and pixel coordinates
 * (positions_pix.txt: "x y", 0-based IPP pixel indices). Deterministic for a given seed.
 * usage: gen_chip OUTDIR [NPOS] [SEED] */
#include <fitsio.h>
#include <wcslib/wcshdr.h>
#include <wcslib/wcs.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NX 4846
#define NY 4868

static unsigned long long rng_state;
static double urand(void) {            /* xorshift64*: reproducible everywhere */
    rng_state ^= rng_state >> 12; rng_state ^= rng_state << 25; rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}
static double grand(void) {
    double u1 = urand(), u2 = urand();
    if (u1 < 1e-300) u1 = 1e-300;
    return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

static void check(int status, const char *what) {
    if (status) { fprintf(stderr, "gen_chip: %s: ", what); fits_report_error(stderr, status); exit(1); }
}

static void write_header(fitsfile *f, int *status) {
    double crval1 = 150.1, crval2 = 2.2, crpix1 = NX / 2.0 + 0.5, crpix2 = NY / 2.0 + 0.5;
    double scale = 0.25 / 3600.0, rot = 0.3 * M_PI / 180;
    double cd11 = -scale * cos(rot), cd12 = scale * sin(rot), cd21 = scale * sin(rot), cd22 = scale * cos(rot);
    fits_write_key(f, TSTRING, "CTYPE1", "RA---TAN", "", status);
    fits_write_key(f, TSTRING, "CTYPE2", "DEC--TAN", "", status);
    fits_write_key(f, TDOUBLE, "CRVAL1", &crval1, "", status);
    fits_write_key(f, TDOUBLE, "CRVAL2", &crval2, "", status);
    fits_write_key(f, TDOUBLE, "CRPIX1", &crpix1, "", status);
    fits_write_key(f, TDOUBLE, "CRPIX2", &crpix2, "", status);
    fits_write_key(f, TDOUBLE, "CD1_1", &cd11, "", status);
    fits_write_key(f, TDOUBLE, "CD1_2", &cd12, "", status);
    fits_write_key(f, TDOUBLE, "CD2_1", &cd21, "", status);
    fits_write_key(f, TDOUBLE, "CD2_2", &cd22, "", status);
    fits_write_key(f, TSTRING, "RADESYS", "ICRS", "", status);
    double equinox = 2000.0, exptime = 45.0, mjd = 60000.25;
    fits_write_key(f, TDOUBLE, "EQUINOX", &equinox, "", status);
    fits_write_key(f, TSTRING, "FILTER", "r.00000", "filter", status);
    fits_write_key(f, TDOUBLE, "EXPTIME", &exptime, "exposure time (s)", status);
    fits_write_key(f, TDOUBLE, "MJD-OBS", &mjd, "", status);
    fits_write_key(f, TSTRING, "OBJECT", "bench", "", status);
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: gen_chip OUTDIR [NPOS] [SEED]\n"); return 2; }
    const char *dir = argv[1];
    int npos = argc > 2 ? atoi(argv[2]) : 1000;
    rng_state = argc > 3 ? strtoull(argv[3], NULL, 10) : 88172645463325252ULL;
    if (rng_state == 0) rng_state = 1;

    float *img = malloc(sizeof(float) * (size_t)NX * NY);
    for (size_t i = 0; i < (size_t)NX * NY; i++) img[i] = (float)(100.0 + 5.0 * grand());
    for (int s = 0; s < 3000; s++) {           /* stars: gaussian PSF, sigma 1.5 px */
        double sx = urand() * NX, sy = urand() * NY, flux = 200 + 20000 * pow(urand(), 3);
        for (int y = (int)sy - 6; y <= (int)sy + 6; y++)
            for (int x = (int)sx - 6; x <= (int)sx + 6; x++) {
                if (x < 0 || y < 0 || x >= NX || y >= NY) continue;
                double r2 = (x + 0.5 - sx) * (x + 0.5 - sx) + (y + 0.5 - sy) * (y + 0.5 - sy);
                img[(size_t)y * NX + x] += (float)(flux / (2 * M_PI * 2.25) * exp(-r2 / 4.5));
            }
    }

    char path[4096];
    int status = 0;
    long naxes[2] = {NX, NY};
    fitsfile *f;
    snprintf(path, sizeof path, "!%s/chip.fits", dir);
    check(fits_create_file(&f, path, &status), path);
    check(fits_create_img(f, FLOAT_IMG, 2, naxes, &status), "create image");
    write_header(f, &status);
    check(fits_write_img(f, TFLOAT, 1, (LONGLONG)NX * NY, img, &status), "write chip.fits");
    check(fits_close_file(f, &status), "close");

    snprintf(path, sizeof path, "!%s/chip_rice.fits", dir);
    long tile[2] = {NX, 1};
    check(fits_create_file(&f, path, &status), path);
    fits_set_compression_type(f, RICE_1, &status);
    fits_set_tile_dim(f, 2, tile, &status);
    fits_set_quantize_level(f, 4.0, &status);
    check(fits_create_img(f, FLOAT_IMG, 2, naxes, &status), "create compressed image");
    write_header(f, &status);
    check(fits_write_img(f, TFLOAT, 1, (LONGLONG)NX * NY, img, &status), "write chip_rice.fits");
    check(fits_close_file(f, &status), "close");
    free(img);

    /* stamp centres, the whole 100x100 stamp on the chip; sky positions through wcslib */
    snprintf(path, sizeof path, "%s/chip.fits", dir);
    check(fits_open_image(&f, path, READONLY, &status), path);
    char *hdr; int nkeys, nreject, nwcs; struct wcsprm *wcs;
    check(fits_hdr2str(f, 1, NULL, 0, &hdr, &nkeys, &status), "hdr2str");
    if (wcspih(hdr, nkeys, WCSHDR_all, 0, &nreject, &nwcs, &wcs) || nwcs < 1) { fprintf(stderr, "wcspih\n"); return 1; }
    wcsset(wcs);
    fits_close_file(f, &status);
    snprintf(path, sizeof path, "%s/positions_sky.txt", dir);
    FILE *sky = fopen(path, "w");
    snprintf(path, sizeof path, "%s/positions_pix.txt", dir);
    FILE *pix = fopen(path, "w");
    if (!sky || !pix) { perror("positions"); return 1; }
    for (int i = 0; i < npos; i++) {
        int x = 50 + (int)(urand() * (NX - 100)), y = 50 + (int)(urand() * (NY - 100));
        double pixcrd[2] = {x + 1.0, y + 1.0}, imgcrd[2], phi, theta, world[2];
        int stat;
        wcsp2s(wcs, 1, 2, pixcrd, imgcrd, &phi, &theta, world, &stat);
        fprintf(sky, "%.9f %.9f\n", world[0], world[1]);
        fprintf(pix, "%d %d\n", x, y);
    }
    fclose(sky); fclose(pix);
    wcsvfree(&nwcs, &wcs);
    fits_free_memory(hdr, &status);
    return 0;
}
