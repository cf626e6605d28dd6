import PStampCore
import Testing

/// The parameter interface's query → the one request row it stands for.
@Suite struct StampQueryTests {
    @Test func aMinimalQueryIsAOneRowBycoordWarpStamp() throws {
        let q = try StampQuery.parse(["ra": "210.5", "dec": "-2.25", "size": "30"])
        #expect(q.imageType == "warp")
        #expect(q.optionMask == .image)
        #expect(!q.sync)
        let columns = q.requestColumns()
        #expect(columns["REQ_TYPE"] == "bycoord")
        #expect(columns["JOB_TYPE"] == "stamp")
        #expect(columns["IMG_TYPE"] == "warp")
        #expect(columns["CENTER_X"] == "210.5")
        #expect(columns["CENTER_Y"] == "-2.25")
        #expect(columns["WIDTH"] == "30")
        #expect(columns["HEIGHT"] == "30")
        #expect(columns["COORD_MASK"] == "0")
        #expect(columns["OPTION_MASK"] == "1")
        #expect(columns["PROJECT"] == "gpc1")
        #expect(columns["REQFILT"] == "null")
        #expect(columns["MJD_MIN"] == "0")
        #expect(columns.count == 24, "every v2 column")
    }

    @Test func everyParameter() throws {
        let q = try StampQuery.parse([
            "RA": " 10 ", "Dec": "20", "width": "100", "height": "50", "unit": "pixels", "type": "Chip",
            "filter": "r", "mjd_min": "55000", "mjd_max": "56000.5", "options": "mask, jpeg,variance",
            "project": "gpc1", "email": "me@example.org", "data_group": "3PI.20100101", "comment": "hello", "sync": "1",
        ])
        #expect(q.sync)
        #expect(q.optionMask == [.image, .mask, .jpeg, .variance])
        let c = q.requestColumns(rownum: 7)
        #expect(c["ROWNUM"] == "7")
        #expect(c["IMG_TYPE"] == "chip")
        #expect(c["COORD_MASK"] == "2")
        #expect(c["WIDTH"] == "100" && c["HEIGHT"] == "50")
        #expect(c["MJD_MAX"] == "56000.5")
        #expect(c["OPTION_MASK"] == "71")
        #expect(c["DATA_GROUP"] == "3PI.20100101")
        #expect(c["COMMENT"] == "hello")
        #expect(q.email == "me@example.org")
        #expect(try StampQuery.parse(["ra": "1", "dec": "1", "size": "5", "option_mask": "66"]).optionMask.rawValue == 67)
    }

    @Test func badQueriesNameTheParameter() {
        let cases: [([String: String], String)] = [
            (["dec": "1", "size": "5"], "ra is required (degrees)"),
            (["ra": "x", "dec": "1", "size": "5"], "ra 'x' is not a number"),
            (["ra": "360", "dec": "1", "size": "5"], "ra 360.0 is outside 0 to 360 degrees"),
            (["ra": "1", "dec": "91", "size": "5"], "dec 91.0 is outside -90 to 90 degrees"),
            (["ra": "1", "dec": "1"], "size (or width and height) is required"),
            (["ra": "1", "dec": "1", "size": "0"], "width 0.0 must be above 0 and at most 3600 arcsec"),
            (["ra": "1", "dec": "1", "size": "9000", "unit": "pixels"], "width 9000.0 must be above 0 and at most 8000 pixels"),
            (["ra": "1", "dec": "1", "size": "5", "type": "bias"], "type 'bias' is not one of raw chip warp stack diff"),
            (["ra": "1", "dec": "1", "size": "5", "mjd_min": "56000", "mjd_max": "55000"], "mjd_min 56000.0 is after mjd_max 55000.0"),
            (
                ["ra": "1", "dec": "1", "size": "5", "options": "image,colour"],
                "option 'colour' is not one of cmf image jpeg mask psf sources uncompressed variance weight"
            ),
            (["ra": "1", "dec": "1", "size": "5", "email": "nobody"], "email 'nobody' is not user@domain"),
            (["ra": "1", "dec": "1", "size": "5", "filter": "r i"], "filter 'r i' must be one word of at most 64 characters"),
            (["ra": "1", "dec": "1", "size": "5", "comment": "a|b"], "comment may not hold | or a line break"),
        ]
        for (query, message) in cases {
            #expect(throws: PStampError(.invalidRequest, message), "\(query)") { try StampQuery.parse(query) }
        }
    }
}
