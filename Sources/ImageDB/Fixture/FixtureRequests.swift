import Foundation

/// Sample request texts in the `pstamp_request_file` input format (formats-and-cutouts.md §2), one
/// file per REQ_TYPE × IMG_TYPE the fixture sky supports, each answerable from the fixture.
/// `pstamp request-file` turns them into request FITS tables.
public enum FixtureRequests {
    public struct Sample: Sendable {
        public var requestType: String
        public var imageType: String
        /// The 23 v2 fields after ROWNUM (CENTER_X … FWHM_MAX) and the comment.
        public var fields: [String]
        public var comment: String
        public var name: String { "fixture.\(imageType).\(requestType)" }
    }

    static func f(_ x: Double) -> String { String(format: "%.6f", x) }

    /// The point that lies on chip XY43 of exposures 101, 102, 104 and on skycell.1405.044.
    public static let point = SkyPoint(ra: 150.021, dec: 1.979)
    /// A point near the centre of skycell.1405.054 (diff 30602 and its warps).
    public static let point054 = SkyPoint(ra: 150.0156, dec: 2.0156)

    public static var samples: [Sample] {
        let e101 = FixtureRows.exposure(101)
        let xy43 = FixtureSky.chipCenter(e101, FixtureSky.chips.first { $0.classID == "XY43" }!)
        let (ra, dec) = (f(point.ra), f(point.dec))
        // CENTER_X CENTER_Y WIDTH HEIGHT COORD_MASK JOB_TYPE OPTION_MASK PROJECT SURVEY_NAME IPP_RELEASE
        // REQ_TYPE IMG_TYPE ID TESS_ID COMPONENT DATA_GROUP REQFILT MJD_MIN MJD_MAX RUN_TYPE FWHM_MIN FWHM_MAX
        func row(
            _ x: String, _ y: String, _ size: String, _ option: Int, _ req: String, _ img: String, _ id: String,
            tess: String = "null", component: String = "null", survey: String = "null", release: String = "null",
            runType: String = "null", comment: String
        ) -> Sample {
            Sample(
                requestType: req, imageType: img,
                fields: [
                    x, y, size, size, "2", "stamp", String(option), "gpc1", survey, release, req, img, id, tess,
                    component, "null", "null", "0", "0", runType, "0", "0",
                ], comment: comment)
        }
        let (cx, cy) = (f(xy43.ra), f(xy43.dec))
        let cell = "skycell.1405.044"
        return [
            row(cx, cy, "100", 1, "byid", "raw", "101", comment: "raw chip of exp_id 101 at the centre of XY43"),
            row(cx, cy, "100", 7, "byid", "chip", "211", comment: "chip_id 211, image mask variance"),
            row(ra, dec, "100", 7, "byid", "warp", "501", comment: "warp_id 501 at the point"),
            row(ra, dec, "100", 2049, "byid", "stack", "30101", comment: "unconvolved stack 30101"),
            row(ra, dec, "100", 1025, "byid", "diff", "30601", component: cell, comment: "inverse of bothways diff 30601"),
            row("0", "0", "0", 1, "byid", "stack_summary", "801", comment: "whole stack summary 801"),
            row(cx, cy, "100", 1, "byexp", "raw", e101.name, component: "XY43", comment: "raw XY43 of \(e101.name)"),
            row(cx, cy, "100", 65, "byexp", "chip", e101.name, comment: "newest chip run of \(e101.name), with JPEG"),
            row(ra, dec, "100", 7, "byexp", "warp", e101.name, comment: "newest warp run of \(e101.name)"),
            row(ra, dec, "100", 7, "byexp", "diff", e101.name, comment: "diffs with \(e101.name) as input"),
            row(ra, dec, "100", 1, "bycoord", "raw", "null", comment: "raw chips at the point (3PI release)"),
            row(ra, dec, "100", 7, "bycoord", "chip", "null", comment: "chips at the point (3PI release)"),
            row(ra, dec, "100", 7, "bycoord", "warp", "null", comment: "warps at the point, cleaned ones need an update"),
            row(ra, dec, "100", 7, "bycoord", "stack", "null", comment: "stacks at the point"),
            row(ra, dec, "100", 7, "bycoord", "diff", "null", comment: "diffs at the point"),
            row(ra, dec, "0", 1, "bycoord", "stack_summary", "null", tess: FixtureSky.tessID, comment: "stack summary at the point"),
            row(ra, dec, "100", 7, "byskycell", "warp", "null", tess: FixtureSky.tessID, component: cell, comment: "warps of \(cell)"),
            row(ra, dec, "100", 7, "byskycell", "stack", "null", tess: FixtureSky.tessID, component: cell, comment: "stacks of \(cell)"),
            row(
                ra, dec, "100", 7, "byskycell", "diff", "null", tess: FixtureSky.tessID, component: cell, runType: "warp_stack",
                comment: "warp-stack diffs of \(cell)"),
            row(
                "0", "0", "0", 1, "byskycell", "stack_summary", "null", tess: FixtureSky.tessID, component: cell,
                comment: "stack summary of skycell.1405"),
            row(cx, cy, "100", 1, "bydiff", "raw", "7001", comment: "raw input of diff skyfile 7001"),
            row(cx, cy, "100", 7, "bydiff", "chip", "7001", comment: "chip input of diff skyfile 7001"),
            row(
                f(point054.ra), f(point054.dec), "100", 1025, "bydiff", "warp", "7002",
                comment: "template warp of diff skyfile 7002 (skycell.1405.054)"),
            row(ra, dec, "100", 7, "bydiff", "stack", "7001", comment: "template stack of diff skyfile 7001"),
            row(ra, dec, "100", 7, "bydiff", "diff", "7001", comment: "diff skyfile 7001"),
        ]
    }

    public static func text(_ s: Sample) -> String {
        """
        # PStamp fixture request: \(s.requestType) \(s.imageType) (pstamp_request_file text format, version 2)
        # ROWNUM CENTER_X CENTER_Y WIDTH HEIGHT COORD_MASK JOB_TYPE OPTION_MASK PROJECT SURVEY_NAME IPP_RELEASE
        #   REQ_TYPE IMG_TYPE ID TESS_ID COMPONENT DATA_GROUP REQFILT MJD_MIN MJD_MAX RUN_TYPE FWHM_MIN FWHM_MAX | COMMENT
        \(s.name) 2 PROCESS fixture@example.org
        1 \(s.fields.joined(separator: " ")) | \(s.comment)

        """
    }

    public static func write(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for s in samples {
            try text(s).write(to: directory.appendingPathComponent("\(s.name).txt"), atomically: false, encoding: .utf8)
        }
    }
}
