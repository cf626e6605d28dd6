-- PStamp's own addition to the image database: the footprint of each registered chip and skycell
-- (its WCS, read from the image header when the component is registered), which replaces the IPP's
-- external programs dvoImagesAtCoords / whichimage for "which component holds this point".
-- stage is 'chip' (stage_id = chip_id, component = class_id; raw lookups use the chip run's
-- footprints) or 'skycell' (stage_id = 0, component = skycell_id, tess_id set).
-- ra_center/dec_center (degrees) and radius (degrees, centre to farthest corner) feed the cone pre-filter.
CREATE TABLE pstampFootprint (
    stage TEXT NOT NULL, stage_id INTEGER NOT NULL, component TEXT NOT NULL, tess_id TEXT NOT NULL DEFAULT '',
    naxis1 INTEGER NOT NULL, naxis2 INTEGER NOT NULL,
    ra_center REAL NOT NULL, dec_center REAL NOT NULL, radius REAL NOT NULL,
    wcs_header TEXT NOT NULL,
    PRIMARY KEY (stage, stage_id, component, tess_id)
);
CREATE INDEX pstampFootprint_dec ON pstampFootprint(dec_center);
