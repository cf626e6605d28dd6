-- The subset of the IPP image database ("gpc1") a postage-stamp server reads and updates.
-- Table and column names are the IPP's (ippTools/share/pxadmin_create_tables.sql), so the same
-- query text runs here (SQLite, fixtures and small sites) and on a real IPP MySQL gpc1 database.
-- MySQL/MariaDB (InnoDB, latin1 as the IPP). Units as in the IPP: rawExp.ra/decl in radians, skycell.radeg/decdeg in degrees.
-- Reals are DOUBLE here (the IPP has FLOAT in places) so both drivers return the same values.

CREATE TABLE rawExp (
    exp_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    exp_name VARCHAR(64), camera VARCHAR(64), telescope VARCHAR(64), dateobs DATETIME, exp_tag VARCHAR(64), exp_type VARCHAR(64),
    workdir VARCHAR(255), state VARCHAR(64), tess_id VARCHAR(64), filter VARCHAR(64), comment VARCHAR(80), obs_mode VARCHAR(64),
    airmass DOUBLE, ra DOUBLE, decl DOUBLE, exp_time DOUBLE, object VARCHAR(64),
    fault SMALLINT NOT NULL DEFAULT 0, magicked BIGINT
) ENGINE=InnoDB DEFAULT CHARSET=latin1;
CREATE INDEX rawExp_exp_name ON rawExp(exp_name);
CREATE INDEX rawExp_decl ON rawExp(decl);

CREATE TABLE rawImfile (
    exp_id BIGINT, exp_name VARCHAR(64), camera VARCHAR(64), telescope VARCHAR(64), dateobs DATETIME, class_id VARCHAR(64), uri VARCHAR(255),
    data_state VARCHAR(64), exp_type VARCHAR(64), filter VARCHAR(64), ra DOUBLE, decl DOUBLE, exp_time DOUBLE,
    ignored SMALLINT DEFAULT 0, quality SMALLINT NOT NULL DEFAULT 0, fault SMALLINT NOT NULL DEFAULT 0,
    raw_image_id BIGINT, magicked BIGINT, burntool_state SMALLINT,
    PRIMARY KEY (exp_id, class_id)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;
CREATE UNIQUE INDEX rawImfile_raw_image_id ON rawImfile(raw_image_id);

CREATE TABLE chipRun (
    chip_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, exp_id BIGINT, state VARCHAR(64), workdir VARCHAR(255), workdir_state VARCHAR(64),
    label VARCHAR(64), data_group VARCHAR(64), dist_group VARCHAR(64), reduction VARCHAR(64), expgroup VARCHAR(64), dvodb VARCHAR(255),
    tess_id VARCHAR(64), end_stage VARCHAR(64), magicked BIGINT, software_ver VARCHAR(64),
    update_mode SMALLINT DEFAULT 0, note VARCHAR(255)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;
CREATE INDEX chipRun_exp_id ON chipRun(exp_id);
CREATE INDEX chipRun_label ON chipRun(label);

CREATE TABLE chipImfile (
    chip_id BIGINT, class_id VARCHAR(64), chip_imfile_id BIGINT,
    PRIMARY KEY (chip_id, class_id)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;
CREATE UNIQUE INDEX chipImfile_chip_imfile_id ON chipImfile(chip_imfile_id);

CREATE TABLE chipProcessedImfile (
    chip_id BIGINT, exp_id BIGINT, class_id VARCHAR(64), data_state VARCHAR(64), uri VARCHAR(255),
    bg DOUBLE, fwhm_major DOUBLE, fwhm_minor DOUBLE, hostname VARCHAR(64), n_stars BIGINT, path_base VARCHAR(255),
    quality SMALLINT NOT NULL DEFAULT 0, fault SMALLINT NOT NULL DEFAULT 0, magicked BIGINT, software_ver VARCHAR(64),
    PRIMARY KEY (chip_id, exp_id, class_id)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE camRun (
    cam_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, chip_id BIGINT, state VARCHAR(64), workdir VARCHAR(255), label VARCHAR(64),
    data_group VARCHAR(64), dist_group VARCHAR(64), tess_id VARCHAR(64), magicked BIGINT, note VARCHAR(255)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;
CREATE INDEX camRun_chip_id ON camRun(chip_id);

CREATE TABLE camProcessedExp (
    cam_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, uri VARCHAR(255), sigma_ra DOUBLE, sigma_dec DOUBLE, zpt_obs DOUBLE,
    fwhm_major DOUBLE, fwhm_minor DOUBLE, n_stars BIGINT, path_base VARCHAR(255),
    fault SMALLINT NOT NULL DEFAULT 0, quality SMALLINT NOT NULL DEFAULT 0, background_model SMALLINT
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE fakeRun (
    fake_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, cam_id BIGINT, state VARCHAR(64), workdir VARCHAR(255), label VARCHAR(64),
    data_group VARCHAR(64), dist_group VARCHAR(64), tess_id VARCHAR(64), note VARCHAR(255)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;
CREATE INDEX fakeRun_cam_id ON fakeRun(cam_id);

CREATE TABLE warpRun (
    warp_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, fake_id BIGINT, mode VARCHAR(64), state VARCHAR(64), workdir VARCHAR(255), label VARCHAR(64),
    data_group VARCHAR(64), dist_group VARCHAR(64), tess_id VARCHAR(64), end_stage VARCHAR(64), magicked BIGINT, note VARCHAR(255)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;
CREATE INDEX warpRun_fake_id ON warpRun(fake_id);

CREATE TABLE warpSkyCellMap (
    warp_id BIGINT, skycell_id VARCHAR(64), tess_id VARCHAR(64), class_id VARCHAR(64), fault SMALLINT,
    PRIMARY KEY (warp_id, skycell_id, tess_id, class_id)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE warpImfile (
    warp_id BIGINT, skycell_id VARCHAR(64), warp_skyfile_id BIGINT,
    PRIMARY KEY (warp_id, skycell_id)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;
CREATE UNIQUE INDEX warpImfile_warp_skyfile_id ON warpImfile(warp_skyfile_id);

CREATE TABLE warpSkyfile (
    warp_id BIGINT, skycell_id VARCHAR(64), tess_id VARCHAR(64), uri VARCHAR(255), path_base VARCHAR(255), data_state VARCHAR(64),
    bg DOUBLE, hostname VARCHAR(64), good_frac DOUBLE, quality SMALLINT NOT NULL DEFAULT 0, fault SMALLINT,
    magicked BIGINT, background_model SMALLINT,
    PRIMARY KEY (warp_id, skycell_id, tess_id)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;
CREATE INDEX warpSkyfile_skycell ON warpSkyfile(tess_id, skycell_id);

CREATE TABLE stackRun (
    stack_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, state VARCHAR(64), workdir VARCHAR(255), label VARCHAR(64), data_group VARCHAR(64),
    dist_group VARCHAR(64), reduction VARCHAR(64), registered DATETIME, skycell_id VARCHAR(64), tess_id VARCHAR(64), filter VARCHAR(64), note VARCHAR(255)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;
CREATE INDEX stackRun_skycell ON stackRun(tess_id, skycell_id);

CREATE TABLE stackInputSkyfile (
    stack_id BIGINT, warp_id BIGINT,
    PRIMARY KEY (stack_id, warp_id)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE stackSumSkyfile (
    stack_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, uri VARCHAR(255), path_base VARCHAR(255), bg DOUBLE, hostname VARCHAR(64), good_frac DOUBLE,
    mjd_obs DOUBLE, fault SMALLINT, background_model SMALLINT, quality SMALLINT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE stackAssociation (
    sass_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, data_group VARCHAR(64) NOT NULL, projection_cell VARCHAR(64) NOT NULL,
    tess_id VARCHAR(64) NOT NULL, filter VARCHAR(64) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE stackAssociationMap (
    sass_id BIGINT, stack_id BIGINT,
    PRIMARY KEY (sass_id, stack_id)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE stackSummary (
    sass_id BIGINT, projection_cell VARCHAR(64) NOT NULL, path_base VARCHAR(255) NOT NULL,
    PRIMARY KEY (sass_id, projection_cell)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE diffRun (
    diff_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, state VARCHAR(64), workdir VARCHAR(255), label VARCHAR(64), data_group VARCHAR(64), dist_group VARCHAR(64),
    reduction VARCHAR(64), registered DATETIME, tess_id VARCHAR(64), bothways SMALLINT DEFAULT 0, exposure SMALLINT DEFAULT 0,
    magicked BIGINT, diff_mode SMALLINT NOT NULL, note VARCHAR(255)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE diffInputSkyfile (
    diff_skyfile_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, diff_id BIGINT, skycell_id VARCHAR(64),
    warp1 BIGINT, stack1 BIGINT, warp2 BIGINT, stack2 BIGINT, tess_id VARCHAR(64)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;
CREATE INDEX diffInputSkyfile_diff ON diffInputSkyfile(diff_id, skycell_id);

CREATE TABLE diffSkyfile (
    diff_id BIGINT, skycell_id VARCHAR(64), path_base VARCHAR(255), data_state VARCHAR(64), bg DOUBLE, hostname VARCHAR(64),
    good_frac DOUBLE, quality SMALLINT NOT NULL DEFAULT 0, fault SMALLINT, magicked BIGINT,
    PRIMARY KEY (diff_id, skycell_id)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE skycell (
    tess_id VARCHAR(64), skycell_id VARCHAR(64), radeg DOUBLE, decdeg DOUBLE, glong DOUBLE, glat DOUBLE, width DOUBLE, height DOUBLE,
    PRIMARY KEY (tess_id, skycell_id)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;
CREATE INDEX skycell_decdeg ON skycell(decdeg);

CREATE TABLE Label (
    label VARCHAR(64) PRIMARY KEY, priority BIGINT, active SMALLINT, comment VARCHAR(80)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE survey (
    surveyID INT NOT NULL AUTO_INCREMENT PRIMARY KEY, surveyName VARCHAR(64) NOT NULL UNIQUE, description VARCHAR(255)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE ippRelease (
    rel_id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, surveyID BIGINT, release_name VARCHAR(64), release_state VARCHAR(64),
    priority BIGINT, dvodb VARCHAR(255), accessLevelMin BIGINT DEFAULT 0,
    UNIQUE (surveyID, release_name)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE relExp (
    relexp_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, rel_id BIGINT, exp_id BIGINT, chip_id BIGINT, cam_id BIGINT,
    group_id BIGINT, state VARCHAR(64), path_base VARCHAR(255), fault SMALLINT NOT NULL DEFAULT 0,
    UNIQUE (rel_id, exp_id)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE relStack (
    relstack_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, rel_id BIGINT, stack_id BIGINT, skycal_id BIGINT,
    skycell_id VARCHAR(64), tess_id VARCHAR(64), filter VARCHAR(64), state VARCHAR(64), stack_type VARCHAR(64), mjd_obs BIGINT,
    path_base VARCHAR(255), fault SMALLINT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=latin1;
CREATE INDEX relStack_skycell ON relStack(tess_id, skycell_id);
