/* The peer we compare against: a plain cfitsio + wcslib program. For every stamp it opens the image,
 * parses the header's WCS, converts the sky centre to a pixel, reads the 100x100 section with
 * fits_read_subset, and writes one uncompressed stamp file with the WCS re-centred (CRPIX shifted).
 * usage: cutout_baseline IMAGE POSITIONS(ra dec lines) OUTDIR [SIZE]
 * prints: <n> stamps in <s> s: <rate> stamps/s */
#include <fitsio.h>
#include <wcslib/wcshdr.h>
#include <wcslib/wcs.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: cutout_baseline IMAGE POSITIONS OUTDIR [SIZE]\n"); return 2; }
    int size = argc > 4 ? atoi(argv[4]) : 100;
    FILE *pf = fopen(argv[2], "r");
    if (!pf) { perror(argv[2]); return 1; }
    int cap = 1024, n = 0;
    double *ra = malloc(sizeof(double) * cap), *dec = malloc(sizeof(double) * cap);
    while (fscanf(pf, "%lf %lf", &ra[n], &dec[n]) == 2) {
        if (++n == cap) { cap *= 2; ra = realloc(ra, sizeof(double) * cap); dec = realloc(dec, sizeof(double) * cap); }
    }
    fclose(pf);
    float *buf = malloc(sizeof(float) * size * size);
    int written = 0;
    double t0 = now();
    for (int i = 0; i < n; i++) {
        int status = 0, nkeys, nreject, nwcs, anynul, stat;
        fitsfile *in, *out;
        char *hdr;
        struct wcsprm *wcs;
        if (fits_open_image(&in, argv[1], READONLY, &status)) { fits_report_error(stderr, status); return 1; }
        long naxes[2];
        fits_get_img_size(in, 2, naxes, &status);
        fits_hdr2str(in, 1, NULL, 0, &hdr, &nkeys, &status);
        if (wcspih(hdr, nkeys, WCSHDR_all, 0, &nreject, &nwcs, &wcs) || nwcs < 1) { fprintf(stderr, "no WCS\n"); return 1; }
        wcsset(wcs);
        double world[2] = {ra[i], dec[i]}, phi, theta, imgcrd[2], pixcrd[2];
        wcss2p(wcs, 1, 2, world, &phi, &theta, imgcrd, pixcrd, &stat);
        long cx = lround(pixcrd[0]), cy = lround(pixcrd[1]);          /* FITS 1-based pixel */
        long fp[2] = {cx - size / 2, cy - size / 2}, lp[2] = {fp[0] + size - 1, fp[1] + size - 1}, inc[2] = {1, 1};
        if (fp[0] < 1 || fp[1] < 1 || lp[0] > naxes[0] || lp[1] > naxes[1]) { /* the baseline skips edge stamps */
            fits_close_file(in, &status); wcsvfree(&nwcs, &wcs); fits_free_memory(hdr, &status); continue;
        }
        float nulval = NAN;
        fits_read_subset(in, TFLOAT, fp, lp, inc, &nulval, buf, &anynul, &status);
        char path[4096];
        snprintf(path, sizeof path, "!%s/c_%05d.fits", argv[3], i);
        long onaxes[2] = {size, size};
        fits_create_file(&out, path, &status);
        fits_create_img(out, FLOAT_IMG, 2, onaxes, &status);
        double crpix1 = wcs->crpix[0] - (fp[0] - 1), crpix2 = wcs->crpix[1] - (fp[1] - 1);
        fits_write_key(out, TSTRING, "CTYPE1", wcs->ctype[0], "", &status);
        fits_write_key(out, TSTRING, "CTYPE2", wcs->ctype[1], "", &status);
        fits_write_key(out, TDOUBLE, "CRVAL1", &wcs->crval[0], "", &status);
        fits_write_key(out, TDOUBLE, "CRVAL2", &wcs->crval[1], "", &status);
        fits_write_key(out, TDOUBLE, "CRPIX1", &crpix1, "", &status);
        fits_write_key(out, TDOUBLE, "CRPIX2", &crpix2, "", &status);
        double cd[4];
        for (int k = 0; k < 4; k++) cd[k] = wcs->cd[k];
        fits_write_key(out, TDOUBLE, "CD1_1", &cd[0], "", &status);
        fits_write_key(out, TDOUBLE, "CD1_2", &cd[1], "", &status);
        fits_write_key(out, TDOUBLE, "CD2_1", &cd[2], "", &status);
        fits_write_key(out, TDOUBLE, "CD2_2", &cd[3], "", &status);
        fits_write_img(out, TFLOAT, 1, (LONGLONG)size * size, buf, &status);
        fits_close_file(out, &status);
        fits_close_file(in, &status);
        wcsvfree(&nwcs, &wcs);
        fits_free_memory(hdr, &status);
        if (status) { fits_report_error(stderr, status); return 1; }
        written++;
    }
    double dt = now() - t0;
    printf("%d stamps in %.3f s: %.1f stamps/s\n", written, dt, written / dt);
    return 0;
}
