import Foundation
import PStampCore
import Testing

/// The index texts, byte for byte, against expected text written by hand from the reference
/// (formats-and-cutouts §5.2) and the IPP scripts dsrootindex / dsprodindex / dsfsindex.
@Suite struct DataStoreIndexTextTests {
    static func utc(_ s: String) -> Date { DataStoreTime.parse(s)! }

    @Test func rootIndexMatchesTheReferenceExampleRow() {
        let text = DataStoreIndex.rootText([
            .init(
                name: "pstampresults", lastFileset: "web204", lastUpdate: Self.utc("2008-10-16T00:35:16Z"),
                type: "psresults", description: "Postage Stamp Results")
        ])
        #expect(
            text == """
                # productID  |Most recent |Time registered     |type     |Description                     |
                pstampresults|web204      |2008-10-16T00:35:16Z|psresults|Postage Stamp Results           |

                """)
    }

    @Test func rootIndexWritesNoneForNoFilesetAndTZForNoTime() {
        let text = DataStoreIndex.rootText([
            .init(name: "mops", lastFileset: nil, lastUpdate: nil, type: "psrequest", description: nil),
            .init(name: "a_product_with_a_long_name", lastFileset: "", lastUpdate: nil, type: nil, description: "d"),
        ])
        #expect(
            text == """
                # productID  |Most recent |Time registered     |type     |Description                     |
                mops         |none        |TZ                  |psrequest|                                |
                a_product_with_a_long_name|none        |TZ                  |         |d                               |

                """)
    }

    @Test func emptyProductPrintsTheBareHeader() throws {
        #expect(try DataStoreIndex.productText(labels: [], filesets: []) == "# filesetID|time registered|type|\n")
        #expect(
            try DataStoreIndex.productText(labels: ["req_id", nil, "ignored"], filesets: [])
                == "# filesetID|time registered|type|req_id|\n")
    }

    @Test func productColumnsArePaddedToTheWidestValueAndNullPrintsNull() throws {
        let text = try DataStoreIndex.productText(
            labels: ["req_id"],
            filesets: [
                .init(name: "req1", registered: Self.utc("2026-11-25T10:00:00Z"), type: "PSRESULTS", values: ["42"]),
                .init(
                    name: "a_much_longer_fileset_name", registered: Self.utc("2026-11-25T10:05:00Z"),
                    type: "PSRESULTS", values: [nil]),
            ])
        #expect(
            text == """
                # filesetID               |time registered     |type     |req_id|
                req1                      |2026-11-25T10:00:00Z|PSRESULTS|42    |
                a_much_longer_fileset_name|2026-11-25T10:05:00Z|PSRESULTS|null  |

                """)
    }

    @Test func valuesWithoutALabelAreNotPrinted() throws {
        let text = try DataStoreIndex.productText(
            labels: [],
            filesets: [
                .init(name: "fs", registered: Self.utc("2026-01-02T03:04:05Z"), type: "PSREQUEST", values: ["7", "8"])
            ])
        #expect(
            text == """
                # filesetID|time registered     |type     |
                fs         |2026-01-02T03:04:05Z|PSREQUEST|

                """)
    }

    @Test func aNullFilesetTypeIsAnError() {
        #expect(throws: DataStoreIndex.MissingFilesetType(fileset: "x")) {
            try DataStoreIndex.productText(labels: [], filesets: [.init(name: "x", registered: Date(), type: nil)])
        }
    }

    @Test func filesetIndexMatchesTheReferenceExampleRow() {
        let text = DataStoreIndex.filesetText([
            .init(name: "results.fits", bytes: 28800, md5: "4e2048479e551844e31102a301d50740", type: "table")
        ])
        #expect(
            text == """
                # fileID          |bytes   |md5sum                          |type        |
                results.fits      |28800   |4e2048479e551844e31102a301d50740|table       |

                """)
    }

    @Test func emptyFilesetPrintsTheBaseHeader() {
        #expect(DataStoreIndex.filesetText([]) == "# fileID          |bytes   |md5sum                          |type        |\n")
    }

    /// A results fileset: table, text, text, pstamp, pstamp, tgz. The component header comes before
    /// the text rows, the base header comes back for the stamps, and a tgz brings component back.
    @Test func resultsFilesetReprintsHeadersWhenTheTypeColumnsChange() {
        let md5 = "0123456789abcdef0123456789abcdef"
        let text = DataStoreIndex.filesetText([
            .init(name: "results.fits", bytes: 28800, md5: md5, type: "table"),
            .init(name: "results.mdc", bytes: 1234, md5: md5, type: "text"),
            .init(name: "parse_error.txt", bytes: 0, md5: md5, type: "text"),
            .init(name: "1_1_r_o5500g0100o.fits", bytes: 123456789, md5: md5, type: "pstamp"),
            .init(name: "1_1_r_o5500g0100o.jpg", bytes: 5, md5: md5, type: "pstamp"),
            .init(name: "2_1_bundle.tgz", bytes: nil, md5: nil, type: "tgz"),
        ])
        #expect(
            text == """
                # fileID          |bytes   |md5sum                          |type        |
                results.fits      |28800   |0123456789abcdef0123456789abcdef|table       |
                # fileID          |bytes   |md5sum                          |type        |component|
                results.mdc       |1234    |0123456789abcdef0123456789abcdef|text        |
                parse_error.txt   |0       |0123456789abcdef0123456789abcdef|text        |
                # fileID          |bytes   |md5sum                          |type        |
                1_1_r_o5500g0100o.fits|123456789|0123456789abcdef0123456789abcdef|pstamp      |
                1_1_r_o5500g0100o.jpg|5       |0123456789abcdef0123456789abcdef|pstamp      |
                # fileID          |bytes   |md5sum                          |type        |component|
                2_1_bundle.tgz    |        |                                |tgz         |

                """)
    }

    @Test func sameHeaderIsNotRepeatedWhenTheTypeChangesButTheColumnsDoNot() {
        let text = DataStoreIndex.filesetText([
            .init(name: "a.fits", bytes: 1, md5: nil, type: "table"),
            .init(name: "b.fits", bytes: 2, md5: nil, type: "pstamp"),
            .init(name: "c.fits", bytes: 3, md5: nil, type: "chip", values: ["XY01", nil, "x"]),
        ])
        #expect(
            text == """
                # fileID          |bytes   |md5sum                          |type        |
                a.fits            |1       |                                |table       |
                b.fits            |2       |                                |pstamp      |
                # fileID          |bytes   |md5sum                          |type        |chipname|
                c.fits            |3       |                                |chip        |XY01    |

                """)
    }
}
