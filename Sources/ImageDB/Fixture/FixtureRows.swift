import Foundation

/// The gpc1 rows of the fixture sky. They cover every branch a lookup or an update can take:
/// full, cleaned (in `cleaned` and in `goto_cleaned` runs), update, error_cleaned, purged, fault 26,
/// fault 2, quality ≠ 0, an older duplicate run, ps_ud_ labels, a release, stack types, diff modes.
///
/// | exp | chip runs | cam | warp runs | notes |
/// |---|---|---|---|---|
/// | 101 o5000g0101o r | 201 full (older), 211 full (XY44 quality 4) | 300, 301 | 500 full (older), 501 full (.055 quality 3) | released |
/// | 102 o5001g0102o i | 202 purged (older), 212 cleaned (XY44 fault 26) | 302 | 502 cleaned (.045 fault 26) | released |
/// | 103 o5208g0103o r | 213 goto_cleaned (XY34 cleaned), 215 purged (newest) | 303 | 503 error_cleaned | not released |
/// | 104 o5573g0104o r | 214 update ps_ud_WEB (XY33 fault 2) | 304 | 504 update ps_ud_WEB (.044 fault 2) | released |
///
/// Stacks (RINGS.V3): 30101 full deep .044, 30104 full nightly .044, 30102 cleaned .045, 20001 full .054
/// (before unconvolved stacks existed), 30103 goto_cleaned .055. Diffs: 30601 warp−stack bothways full
/// (.044, 501 − 30101, skyfile 7001), 30602 warp−warp cleaned (.054, 504 − 501, skyfile 7002),
/// 30603 stack−stack full (.044, 30104 − 30101, skyfile 7003). Stack summary: sass_id 801.
public enum FixtureRows {
    static let root = "path://\(FixtureSky.datapathName)/gpc1"

    public static func expDir(_ e: FixtureSky.Exposure) -> String {
        "\(root)/\(e.dateobs.prefix(10).replacingOccurrences(of: "-", with: ""))/\(e.name)"
    }
    public static func rawURI(_ e: FixtureSky.Exposure, _ classID: String) -> String { "\(root)/raw/\(e.name)/\(e.name).\(classID).fits" }
    public static func chipBase(_ e: FixtureSky.Exposure, chipID: Int64) -> String { "\(expDir(e))/\(e.name).ch.\(chipID)" }
    public static func camBase(_ e: FixtureSky.Exposure, camID: Int64) -> String { "\(expDir(e))/\(e.name).cm.\(camID)" }
    public static func warpBase(_ e: FixtureSky.Exposure, warpID: Int64, skycell: String) -> String {
        "\(expDir(e))/\(e.name).wrp.\(warpID).\(skycell)"
    }
    public static func stackBase(stackID: Int64, skycell: String) -> String {
        "\(root)/stack/\(FixtureSky.tessID)/\(skycell)/\(FixtureSky.tessID).\(skycell).stk.\(stackID)"
    }
    public static func diffBase(diffID: Int64, skycell: String) -> String {
        "\(root)/diff/\(FixtureSky.tessID)/\(skycell)/\(FixtureSky.tessID).\(skycell).dif.\(diffID)"
    }

    /// A chip run of the fixture: the states of its components (data_state, fault, quality) by class_id.
    public struct ChipRun: Sendable {
        public var chipID: Int64, expID: Int64, state: String, label: String, dataGroup: String
        public var components: [String: (dataState: String, fault: Int, quality: Int)]
    }
    public struct WarpRun: Sendable {
        public var warpID: Int64, fakeID: Int64, camID: Int64, chipID: Int64, expID: Int64, state: String, label: String, dataGroup: String
        public var skyfiles: [String: (dataState: String, fault: Int, quality: Int)]
    }
    public struct StackRun: Sendable {
        public var stackID: Int64, skycell: String, state: String, filter: String, stackType: String, mjd: Double, released: Bool
    }
    public struct DiffRun: Sendable {
        public var diffID: Int64, skyfileID: Int64, skycell: String, mode: Int, bothways: Bool, state: String, dataState: String
        public var warp1: Int64?, stack1: Int64?, warp2: Int64?, stack2: Int64?
    }

    static func all(
        _ state: String, fault: Int = 0, quality: Int = 0, _ ids: [String]
    ) -> [String: (dataState: String, fault: Int, quality: Int)] {
        Dictionary(uniqueKeysWithValues: ids.map { ($0, (state, fault, quality)) })
    }
    static let classIDs = FixtureSky.chips.map(\.classID)
    static let skycellIDs = FixtureSky.skycells.map(\.skycellID)

    public static let chipRuns: [ChipRun] = [
        ChipRun(chipID: 201, expID: 101, state: "full", label: "LAP.old", dataGroup: "LAP.20090601.old", components: all("full", classIDs)),
        ChipRun(
            chipID: 211, expID: 101, state: "full", label: "LAP.ThreePi", dataGroup: "LAP.ThreePi.20090601",
            components: all("full", classIDs).merging(["XY44": ("full", 0, 4)]) { $1 }),
        ChipRun(
            chipID: 202, expID: 102, state: "purged", label: "LAP.old", dataGroup: "LAP.20090602.old", components: all("purged", classIDs)),
        ChipRun(
            chipID: 212, expID: 102, state: "cleaned", label: "LAP.ThreePi", dataGroup: "LAP.ThreePi.20090602",
            components: all("cleaned", classIDs).merging(["XY44": ("cleaned", 26, 0)]) { $1 }),
        ChipRun(
            chipID: 213, expID: 103, state: "goto_cleaned", label: "goto_cleaned", dataGroup: "MD.20091227",
            components: all("full", classIDs).merging(["XY34": ("cleaned", 0, 0)]) { $1 }),
        ChipRun(
            chipID: 215, expID: 103, state: "purged", label: "MD.redo", dataGroup: "MD.20091227.redo", components: all("purged", classIDs)),
        ChipRun(
            chipID: 214, expID: 104, state: "update", label: "ps_ud_WEB", dataGroup: "LAP.ThreePi.20101227",
            components: all("full", classIDs).merging(["XY33": ("update", 2, 0), "XY34": ("update", 0, 0)]) { $1 }),
    ]

    /// Camera runs: (cam_id, chip_id, fwhm_major).
    public static let camRuns: [(camID: Int64, chipID: Int64, fwhm: Double)] = [
        (300, 201, 4.2), (301, 211, 4.0), (302, 212, 6.0), (303, 213, 5.0), (304, 214, 7.5),
    ]

    public static let warpRuns: [WarpRun] = [
        WarpRun(
            warpID: 500, fakeID: 400, camID: 300, chipID: 201, expID: 101, state: "full", label: "LAP.old",
            dataGroup: "LAP.20090601.old", skyfiles: all("full", skycellIDs)),
        WarpRun(
            warpID: 501, fakeID: 401, camID: 301, chipID: 211, expID: 101, state: "full", label: "LAP.ThreePi",
            dataGroup: "LAP.ThreePi.20090601",
            skyfiles: all("full", skycellIDs).merging(["skycell.1405.055": ("full", 0, 3)]) { $1 }),
        WarpRun(
            warpID: 502, fakeID: 402, camID: 302, chipID: 212, expID: 102, state: "cleaned", label: "LAP.ThreePi",
            dataGroup: "LAP.ThreePi.20090602",
            skyfiles: all("cleaned", skycellIDs).merging(["skycell.1405.045": ("cleaned", 26, 0)]) { $1 }),
        WarpRun(
            warpID: 503, fakeID: 403, camID: 303, chipID: 213, expID: 103, state: "error_cleaned", label: "MD.nightly",
            dataGroup: "MD.20091227", skyfiles: all("error_cleaned", skycellIDs)),
        WarpRun(
            warpID: 504, fakeID: 404, camID: 304, chipID: 214, expID: 104, state: "update", label: "ps_ud_WEB",
            dataGroup: "LAP.ThreePi.20101227",
            skyfiles: all("full", skycellIDs).merging(["skycell.1405.044": ("update", 2, 0), "skycell.1405.045": ("update", 0, 0)]) { $1 }),
    ]

    public static let stackRuns: [StackRun] = [
        StackRun(
            stackID: 30101, skycell: "skycell.1405.044", state: "full", filter: "r.00000", stackType: "deep", mjd: 55000.4, released: true),
        StackRun(
            stackID: 30104, skycell: "skycell.1405.044", state: "full", filter: "r.00000", stackType: "nightly", mjd: 55557.5,
            released: true),
        StackRun(
            stackID: 30102, skycell: "skycell.1405.045", state: "cleaned", filter: "r.00000", stackType: "deep", mjd: 55000.4,
            released: true),
        StackRun(
            stackID: 20001, skycell: "skycell.1405.054", state: "full", filter: "r.00000", stackType: "deep", mjd: 55000.4, released: true),
        StackRun(
            stackID: 30103, skycell: "skycell.1405.055", state: "goto_cleaned", filter: "i.00000", stackType: "deep", mjd: 54984.5,
            released: false),
    ]

    public static let diffRuns: [DiffRun] = [
        DiffRun(
            diffID: 30601, skyfileID: 7001, skycell: "skycell.1405.044", mode: 2, bothways: true, state: "full",
            dataState: "full", warp1: 501, stack1: nil, warp2: nil, stack2: 30101),
        DiffRun(
            diffID: 30602, skyfileID: 7002, skycell: "skycell.1405.054", mode: 1, bothways: false, state: "cleaned",
            dataState: "cleaned", warp1: 504, stack1: nil, warp2: 501, stack2: nil),
        DiffRun(
            diffID: 30603, skyfileID: 7003, skycell: "skycell.1405.044", mode: 4, bothways: false, state: "full",
            dataState: "full", warp1: nil, stack1: 30104, warp2: nil, stack2: 30101),
    ]

    public static func exposure(_ id: Int64) -> FixtureSky.Exposure { FixtureSky.exposures.first { $0.expID == id }! }

    /// Inserts every row (and the footprints of every chip and skycell) with bound parameters.
    public static func insert(into db: any SQLExecutor) throws {
        func row(_ table: String, _ values: KeyValuePairs<String, SQLValue>) throws {
            let cols = values.map(\.key)
            try db.execute(
                "INSERT INTO \(table) (\(cols.joined(separator: ", "))) VALUES (\(cols.map { _ in "?" }.joined(separator: ", ")))",
                values.map(\.value))
        }
        let d2r = Double.pi / 180
        var rawID: Int64 = 900
        for e in FixtureSky.exposures {
            try row(
                "rawExp",
                [
                    "exp_id": .int(e.expID), "exp_name": .text(e.name), "camera": "GPC1", "telescope": "PS1",
                    "dateobs": .text(e.dateobs), "exp_tag": .text("\(e.name).\(e.expID)"), "exp_type": "object",
                    "state": "full", "filter": .text(e.filter), "ra": .double(e.pointing.ra * d2r),
                    "decl": .double(e.pointing.dec * d2r), "exp_time": .double(e.expTime), "object": "fixture",
                    "fault": .int(0),
                ])
            for classID in classIDs {
                rawID += 1
                let quality: Int64 = e.expID == 102 && classID == "XY44" ? 2 : 0
                try row(
                    "rawImfile",
                    [
                        "exp_id": .int(e.expID), "exp_name": .text(e.name), "camera": "GPC1", "telescope": "PS1",
                        "dateobs": .text(e.dateobs), "class_id": .text(classID), "uri": .text(rawURI(e, classID)),
                        "data_state": "full", "exp_type": "object", "filter": .text(e.filter),
                        "ra": .double(e.pointing.ra * d2r), "decl": .double(e.pointing.dec * d2r),
                        "exp_time": .double(e.expTime), "ignored": .int(0), "quality": .int(quality),
                        "fault": .int(0), "raw_image_id": .int(rawID),
                    ])
            }
        }
        var imfileID: Int64 = 1000
        for run in chipRuns {
            let e = exposure(run.expID)
            try row(
                "chipRun",
                [
                    "chip_id": .int(run.chipID), "exp_id": .int(run.expID), "state": .text(run.state),
                    "workdir": .text(expDir(e)), "label": .text(run.label), "data_group": .text(run.dataGroup),
                    "dist_group": "NULL", "tess_id": .text(FixtureSky.tessID), "end_stage": "warp", "update_mode": .int(0),
                ])
            for classID in classIDs {
                imfileID += 1
                let c = run.components[classID]!
                try row("chipImfile", ["chip_id": .int(run.chipID), "class_id": .text(classID), "chip_imfile_id": .int(imfileID)])
                try row(
                    "chipProcessedImfile",
                    [
                        "chip_id": .int(run.chipID), "exp_id": .int(run.expID), "class_id": .text(classID),
                        "data_state": .text(c.dataState),
                        "uri": .text("\(chipBase(e, chipID: run.chipID)).\(classID).ch.fits"),
                        "path_base": .text(chipBase(e, chipID: run.chipID)),
                        "fwhm_major": .double(4.0), "fwhm_minor": .double(3.6), "quality": .int(Int64(c.quality)),
                        "fault": .int(Int64(c.fault)),
                    ])
            }
        }
        for cam in camRuns {
            let chip = chipRuns.first { $0.chipID == cam.chipID }!
            let e = exposure(chip.expID)
            try row(
                "camRun",
                [
                    "cam_id": .int(cam.camID), "chip_id": .int(cam.chipID), "state": "full", "workdir": .text(expDir(e)),
                    "label": .text(chip.label), "data_group": .text(chip.dataGroup), "tess_id": .text(FixtureSky.tessID),
                ])
            try row(
                "camProcessedExp",
                [
                    "cam_id": .int(cam.camID), "path_base": .text(camBase(e, camID: cam.camID)),
                    "fwhm_major": .double(cam.fwhm), "fwhm_minor": .double(cam.fwhm * 0.9), "zpt_obs": .double(24.5),
                    "quality": .int(0), "fault": .int(0),
                ])
        }
        var skyfileID: Int64 = 5000
        for run in warpRuns {
            let e = exposure(run.expID)
            try row(
                "fakeRun",
                [
                    "fake_id": .int(run.fakeID), "cam_id": .int(run.camID), "state": "full", "label": .text(run.label),
                    "tess_id": .text(FixtureSky.tessID),
                ])
            try row(
                "warpRun",
                [
                    "warp_id": .int(run.warpID), "fake_id": .int(run.fakeID), "mode": "warp", "state": .text(run.state),
                    "workdir": .text(expDir(e)), "label": .text(run.label), "data_group": .text(run.dataGroup),
                    "tess_id": .text(FixtureSky.tessID),
                ])
            for skycell in skycellIDs {
                skyfileID += 1
                let s = run.skyfiles[skycell]!
                for classID in FixtureSky.chipsFeeding(skycellID: skycell, exposure: e) {
                    try row(
                        "warpSkyCellMap",
                        [
                            "warp_id": .int(run.warpID), "skycell_id": .text(skycell),
                            "tess_id": .text(FixtureSky.tessID), "class_id": .text(classID), "fault": .int(0),
                        ])
                }
                try row("warpImfile", ["warp_id": .int(run.warpID), "skycell_id": .text(skycell), "warp_skyfile_id": .int(skyfileID)])
                let base = warpBase(e, warpID: run.warpID, skycell: skycell)
                try row(
                    "warpSkyfile",
                    [
                        "warp_id": .int(run.warpID), "skycell_id": .text(skycell), "tess_id": .text(FixtureSky.tessID),
                        "uri": .text("\(base).fits"), "path_base": .text(base), "data_state": .text(s.dataState),
                        "good_frac": .double(0.9), "quality": .int(Int64(s.quality)), "fault": .int(Int64(s.fault)),
                    ])
            }
        }
        for s in stackRuns {
            let base = stackBase(stackID: s.stackID, skycell: s.skycell)
            try row(
                "stackRun",
                [
                    "stack_id": .int(s.stackID), "state": .text(s.state), "workdir": .text("\(root)/stack"),
                    "label": "LAP.ThreePi.stack", "data_group": "LAP.ThreePi.20100101", "skycell_id": .text(s.skycell),
                    "tess_id": .text(FixtureSky.tessID), "filter": .text(s.filter),
                ])
            try row(
                "stackSumSkyfile",
                [
                    "stack_id": .int(s.stackID), "uri": .text("\(base).fits"), "path_base": .text(base),
                    "good_frac": .double(0.95), "mjd_obs": .double(s.mjd), "fault": .int(0), "quality": .int(0),
                ])
            for warp in [Int64(501), 504] {
                try row("stackInputSkyfile", ["stack_id": .int(s.stackID), "warp_id": .int(warp)])
            }
        }
        for d in diffRuns {
            try row(
                "diffRun",
                [
                    "diff_id": .int(d.diffID), "state": .text(d.state), "workdir": .text("\(root)/diff"), "label": "LAP.ThreePi.diff",
                    "data_group": "LAP.ThreePi.diff", "tess_id": .text(FixtureSky.tessID), "bothways": .int(d.bothways ? 1 : 0),
                    "exposure": .int(0), "diff_mode": .int(Int64(d.mode)),
                ])
            try row(
                "diffInputSkyfile",
                [
                    "diff_skyfile_id": .int(d.skyfileID), "diff_id": .int(d.diffID), "skycell_id": .text(d.skycell),
                    "warp1": .init(d.warp1), "stack1": .init(d.stack1), "warp2": .init(d.warp2), "stack2": .init(d.stack2),
                    "tess_id": .text(FixtureSky.tessID),
                ])
            try row(
                "diffSkyfile",
                [
                    "diff_id": .int(d.diffID), "skycell_id": .text(d.skycell),
                    "path_base": .text(diffBase(diffID: d.diffID, skycell: d.skycell)),
                    "data_state": .text(d.dataState), "good_frac": .double(0.8), "quality": .int(0), "fault": .int(0),
                ])
        }
        for cell in FixtureSky.skycells {
            let cw = Double(FixtureSky.skycellSize) * FixtureSky.pixelScale
            try row(
                "skycell",
                [
                    "tess_id": .text(FixtureSky.tessID), "skycell_id": .text(cell.skycellID),
                    "radeg": .double(FixtureSky.center.ra - cell.dx * cw / cos(FixtureSky.center.dec * d2r)),
                    "decdeg": .double(FixtureSky.center.dec + cell.dy * cw), "width": .double(cw), "height": .double(cw),
                ])
        }
        try row("Label", ["label": "ps_ud_WEB", "priority": .int(200), "active": .int(1), "comment": "updates for WEB requests"])
        try row("Label", ["label": "ps_ud_TEST", "priority": .int(100), "active": .int(0), "comment": "inactive test updates"])
        try row("Label", ["label": "LAP.ThreePi", "priority": .int(150), "active": .int(1), "comment": "survey processing"])
        try row("survey", ["surveyID": .int(1), "surveyName": "3PI", "description": "3pi survey"])
        try row("survey", ["surveyID": .int(2), "surveyName": "MD08", "description": "medium deep field 8"])
        try row(
            "ippRelease",
            [
                "rel_id": .int(1), "surveyID": .int(1), "release_name": "3PI.PV3", "release_state": "active",
                "priority": .int(10), "accessLevelMin": .int(0),
            ])
        var relexp: Int64 = 0
        for (exp, chip, cam) in [(Int64(101), Int64(211), Int64(301)), (102, 212, 302), (104, 214, 304)] {
            relexp += 1
            try row(
                "relExp",
                [
                    "relexp_id": .int(relexp), "rel_id": .int(1), "exp_id": .int(exp), "chip_id": .int(chip),
                    "cam_id": .int(cam), "state": "released", "fault": .int(0),
                ])
        }
        var relstack: Int64 = 0
        for s in stackRuns where s.released {
            relstack += 1
            try row(
                "relStack",
                [
                    "relstack_id": .int(relstack), "rel_id": .int(1), "stack_id": .int(s.stackID), "skycell_id": .text(s.skycell),
                    "tess_id": .text(FixtureSky.tessID), "filter": .text(s.filter), "state": "released",
                    "stack_type": .text(s.stackType), "mjd_obs": .int(s.stackType == "nightly" ? Int64(s.mjd) : 0), "fault": .int(0),
                ])
        }
        try row(
            "stackAssociation",
            [
                "sass_id": .int(801), "data_group": "LAP.ThreePi.20100101", "projection_cell": .text(FixtureSky.projectionCell),
                "tess_id": .text(FixtureSky.tessID), "filter": "r.00000",
            ])
        try row("stackAssociationMap", ["sass_id": .int(801), "stack_id": .int(30101)])
        try row(
            "stackSummary",
            [
                "sass_id": .int(801), "projection_cell": .text(FixtureSky.projectionCell),
                "path_base": .text("\(root)/stack/\(FixtureSky.tessID)/\(FixtureSky.projectionCell).sass.801"),
            ])
    }

    /// The footprints of every exposure's chips and every skycell, from the fixture's WCS headers.
    public static func footprints() throws -> [Footprint] {
        var result: [Footprint] = []
        for e in FixtureSky.exposures {
            for chip in FixtureSky.chips {
                result.append(
                    try Footprint.from(
                        wcsHeader: FixtureSky.chipWCS(e, classID: chip.classID), naxis1: FixtureSky.chipSize,
                        naxis2: FixtureSky.chipSize, stage: .exp, stageID: e.expID, component: chip.classID))
            }
        }
        for cell in FixtureSky.skycells {
            result.append(
                try Footprint.from(
                    wcsHeader: FixtureSky.skycellWCS(cell.skycellID), naxis1: FixtureSky.skycellSize,
                    naxis2: FixtureSky.skycellSize, stage: .skycell, stageID: 0, component: cell.skycellID,
                    tessID: FixtureSky.tessID))
        }
        return result
    }
}

extension SQLValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = value == "NULL" ? .null : .text(value) }
}

extension ImageDatabase {
    /// Loads the fixture sky's rows and footprints into an empty, migrated database.
    public func loadFixtureRows() throws {
        try connection.transaction { try FixtureRows.insert(into: $0) }
        for footprint in try FixtureRows.footprints() { try register(footprint) }
    }
}
