-- The subset of the IPP image database ("gpc1") a postage-stamp server reads and updates.
-- Table and column names are the IPP's (ippTools/share/pxadmin_create_tables.sql), so the same
-- query text runs here (SQLite, fixtures and small sites) and on a real IPP MySQL gpc1 database.
-- Units as in the IPP: rawExp.ra/decl in radians, skycell.radeg/decdeg in degrees, dateobs as
-- 'YYYY-MM-DD HH:MM:SS' UTC text.

CREATE TABLE rawExp (
    exp_id INTEGER PRIMARY KEY,
    exp_name TEXT, camera TEXT, telescope TEXT, dateobs TEXT, exp_tag TEXT, exp_type TEXT,
    workdir TEXT, state TEXT, tess_id TEXT, filter TEXT, comment TEXT, obs_mode TEXT,
    airmass REAL, ra REAL, decl REAL, exp_time REAL, object TEXT,
    fault INTEGER NOT NULL DEFAULT 0, magicked INTEGER
);
CREATE INDEX rawExp_exp_name ON rawExp(exp_name);
CREATE INDEX rawExp_decl ON rawExp(decl);

CREATE TABLE rawImfile (
    exp_id INTEGER, exp_name TEXT, camera TEXT, telescope TEXT, dateobs TEXT, class_id TEXT, uri TEXT,
    data_state TEXT, exp_type TEXT, filter TEXT, ra REAL, decl REAL, exp_time REAL,
    ignored INTEGER DEFAULT 0, quality INTEGER NOT NULL DEFAULT 0, fault INTEGER NOT NULL DEFAULT 0,
    raw_image_id INTEGER, magicked INTEGER, burntool_state INTEGER,
    PRIMARY KEY (exp_id, class_id)
);
CREATE UNIQUE INDEX rawImfile_raw_image_id ON rawImfile(raw_image_id);

CREATE TABLE chipRun (
    chip_id INTEGER PRIMARY KEY, exp_id INTEGER, state TEXT, workdir TEXT, workdir_state TEXT,
    label TEXT, data_group TEXT, dist_group TEXT, reduction TEXT, expgroup TEXT, dvodb TEXT,
    tess_id TEXT, end_stage TEXT, magicked INTEGER, software_ver TEXT,
    update_mode INTEGER DEFAULT 0, note TEXT
);
CREATE INDEX chipRun_exp_id ON chipRun(exp_id);
CREATE INDEX chipRun_label ON chipRun(label);

CREATE TABLE chipImfile (
    chip_id INTEGER, class_id TEXT, chip_imfile_id INTEGER,
    PRIMARY KEY (chip_id, class_id)
);
CREATE UNIQUE INDEX chipImfile_chip_imfile_id ON chipImfile(chip_imfile_id);

CREATE TABLE chipProcessedImfile (
    chip_id INTEGER, exp_id INTEGER, class_id TEXT, data_state TEXT, uri TEXT,
    bg REAL, fwhm_major REAL, fwhm_minor REAL, hostname TEXT, n_stars INTEGER, path_base TEXT,
    quality INTEGER NOT NULL DEFAULT 0, fault INTEGER NOT NULL DEFAULT 0, magicked INTEGER, software_ver TEXT,
    PRIMARY KEY (chip_id, exp_id, class_id)
);

CREATE TABLE camRun (
    cam_id INTEGER PRIMARY KEY, chip_id INTEGER, state TEXT, workdir TEXT, label TEXT,
    data_group TEXT, dist_group TEXT, tess_id TEXT, magicked INTEGER, note TEXT
);
CREATE INDEX camRun_chip_id ON camRun(chip_id);

CREATE TABLE camProcessedExp (
    cam_id INTEGER PRIMARY KEY, uri TEXT, sigma_ra REAL, sigma_dec REAL, zpt_obs REAL,
    fwhm_major REAL, fwhm_minor REAL, n_stars INTEGER, path_base TEXT,
    fault INTEGER NOT NULL DEFAULT 0, quality INTEGER NOT NULL DEFAULT 0, background_model INTEGER
);

CREATE TABLE fakeRun (
    fake_id INTEGER PRIMARY KEY, cam_id INTEGER, state TEXT, workdir TEXT, label TEXT,
    data_group TEXT, dist_group TEXT, tess_id TEXT, note TEXT
);
CREATE INDEX fakeRun_cam_id ON fakeRun(cam_id);

CREATE TABLE warpRun (
    warp_id INTEGER PRIMARY KEY, fake_id INTEGER, mode TEXT, state TEXT, workdir TEXT, label TEXT,
    data_group TEXT, dist_group TEXT, tess_id TEXT, end_stage TEXT, magicked INTEGER, note TEXT
);
CREATE INDEX warpRun_fake_id ON warpRun(fake_id);

CREATE TABLE warpSkyCellMap (
    warp_id INTEGER, skycell_id TEXT, tess_id TEXT, class_id TEXT, fault INTEGER,
    PRIMARY KEY (warp_id, skycell_id, tess_id, class_id)
);

CREATE TABLE warpImfile (
    warp_id INTEGER, skycell_id TEXT, warp_skyfile_id INTEGER,
    PRIMARY KEY (warp_id, skycell_id)
);
CREATE UNIQUE INDEX warpImfile_warp_skyfile_id ON warpImfile(warp_skyfile_id);

CREATE TABLE warpSkyfile (
    warp_id INTEGER, skycell_id TEXT, tess_id TEXT, uri TEXT, path_base TEXT, data_state TEXT,
    bg REAL, hostname TEXT, good_frac REAL, quality INTEGER NOT NULL DEFAULT 0, fault INTEGER,
    magicked INTEGER, background_model INTEGER,
    PRIMARY KEY (warp_id, skycell_id, tess_id)
);
CREATE INDEX warpSkyfile_skycell ON warpSkyfile(tess_id, skycell_id);

CREATE TABLE stackRun (
    stack_id INTEGER PRIMARY KEY, state TEXT, workdir TEXT, label TEXT, data_group TEXT,
    dist_group TEXT, reduction TEXT, registered TEXT, skycell_id TEXT, tess_id TEXT, filter TEXT, note TEXT
);
CREATE INDEX stackRun_skycell ON stackRun(tess_id, skycell_id);

CREATE TABLE stackInputSkyfile (
    stack_id INTEGER, warp_id INTEGER,
    PRIMARY KEY (stack_id, warp_id)
);

CREATE TABLE stackSumSkyfile (
    stack_id INTEGER PRIMARY KEY, uri TEXT, path_base TEXT, bg REAL, hostname TEXT, good_frac REAL,
    mjd_obs REAL, fault INTEGER, background_model INTEGER, quality INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE stackAssociation (
    sass_id INTEGER PRIMARY KEY, data_group TEXT NOT NULL, projection_cell TEXT NOT NULL,
    tess_id TEXT NOT NULL, filter TEXT NOT NULL
);

CREATE TABLE stackAssociationMap (
    sass_id INTEGER, stack_id INTEGER,
    PRIMARY KEY (sass_id, stack_id)
);

CREATE TABLE stackSummary (
    sass_id INTEGER, projection_cell TEXT NOT NULL, path_base TEXT NOT NULL,
    PRIMARY KEY (sass_id, projection_cell)
);

CREATE TABLE diffRun (
    diff_id INTEGER PRIMARY KEY, state TEXT, workdir TEXT, label TEXT, data_group TEXT, dist_group TEXT,
    reduction TEXT, registered TEXT, tess_id TEXT, bothways INTEGER DEFAULT 0, exposure INTEGER DEFAULT 0,
    magicked INTEGER, diff_mode INTEGER NOT NULL, note TEXT
);

CREATE TABLE diffInputSkyfile (
    diff_skyfile_id INTEGER PRIMARY KEY, diff_id INTEGER, skycell_id TEXT,
    warp1 INTEGER, stack1 INTEGER, warp2 INTEGER, stack2 INTEGER, tess_id TEXT
);
CREATE INDEX diffInputSkyfile_diff ON diffInputSkyfile(diff_id, skycell_id);

CREATE TABLE diffSkyfile (
    diff_id INTEGER, skycell_id TEXT, path_base TEXT, data_state TEXT, bg REAL, hostname TEXT,
    good_frac REAL, quality INTEGER NOT NULL DEFAULT 0, fault INTEGER, magicked INTEGER,
    PRIMARY KEY (diff_id, skycell_id)
);

CREATE TABLE skycell (
    tess_id TEXT, skycell_id TEXT, radeg REAL, decdeg REAL, glong REAL, glat REAL, width REAL, height REAL,
    PRIMARY KEY (tess_id, skycell_id)
);
CREATE INDEX skycell_decdeg ON skycell(decdeg);

CREATE TABLE Label (
    label TEXT PRIMARY KEY, priority INTEGER, active INTEGER, comment TEXT
);

CREATE TABLE survey (
    surveyID INTEGER PRIMARY KEY, surveyName TEXT NOT NULL UNIQUE, description TEXT
);

CREATE TABLE ippRelease (
    rel_id INTEGER PRIMARY KEY, surveyID INTEGER, release_name TEXT, release_state TEXT,
    priority INTEGER, dvodb TEXT, accessLevelMin INTEGER DEFAULT 0,
    UNIQUE (surveyID, release_name)
);

CREATE TABLE relExp (
    relexp_id INTEGER PRIMARY KEY, rel_id INTEGER, exp_id INTEGER, chip_id INTEGER, cam_id INTEGER,
    group_id INTEGER, state TEXT, path_base TEXT, fault INTEGER NOT NULL DEFAULT 0,
    UNIQUE (rel_id, exp_id)
);

CREATE TABLE relStack (
    relstack_id INTEGER PRIMARY KEY, rel_id INTEGER, stack_id INTEGER, skycal_id INTEGER,
    skycell_id TEXT, tess_id TEXT, filter TEXT, state TEXT, stack_type TEXT, mjd_obs INTEGER,
    path_base TEXT, fault INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX relStack_skycell ON relStack(tess_id, skycell_id);
