import DataStore
import Foundation
import PStampCore
import Testing

@Suite struct DataStoreIndexParserTests {
    @Test func readsAProductIndexWithExtraColumns() {
        let listing = DataStoreIndexParser.filesets(
            """
            # filesetID|time registered     |type     |req_id|
            req1       |2026-11-25T10:00:00Z|PSREQUEST|42    |

            req2       |2026-11-25T10:05:00Z|PSREQUEST|null  |
            """)
        #expect(listing.skipped.isEmpty)
        #expect(listing.entries.map(\.name) == ["req1", "req2"])
        #expect(listing.entries[0].extra == ["42"])
        #expect(listing.entries[1].registered == "2026-11-25T10:05:00Z")
    }

    @Test func badLinesAreSkippedAndReportedNotFatal() {
        let listing = DataStoreIndexParser.filesets(
            """
            ok|2026-11-25T10:00:00Z|PSREQUEST|
            bad/name|2026-11-25T10:00:00Z|PSREQUEST|
            late|yesterday|PSREQUEST|
            short|2026-11-25T10:00:00Z|
            has#hash|2026-11-25T10:00:00Z|PSREQUEST|
            """)
        #expect(listing.entries.map(\.name) == ["ok"])
        #expect(listing.skipped.map(\.line) == [2, 3, 4, 5])
    }

    @Test func readsAFilesetIndexWithRepeatedHeadersAndEmptyMD5() {
        let listing = DataStoreIndexParser.files(
            """
            # fileID          |bytes   |md5sum                          |type        |
            req.fits          |2880    |4e2048479e551844e31102a301d50740|psrequest   |
            # fileID          |bytes   |md5sum                          |type        |component|
            notes.txt         |10      |                                |text        |
            nobytes.txt       |        |                                |text        |
            upper.fits        |1       |4E2048479E551844E31102A301D50740|fits        |
            """)
        #expect(listing.entries.map(\.name) == ["req.fits", "notes.txt"])
        #expect(listing.entries[0].bytes == 2880)
        #expect(listing.entries[0].md5 == "4e2048479e551844e31102a301d50740")
        #expect(listing.entries[1].md5 == nil)
        // The IPP client skips a file whose size is blank, and an md5 in capitals.
        #expect(listing.skipped.map(\.line) == [5, 6])
    }

    @Test func ourOwnListingsReadBack() throws {
        let text = try DataStoreIndex.productText(
            labels: ["req_id"],
            filesets: [
                .init(name: "r1", registered: DataStoreTime.parse("2026-11-25T10:00:00Z")!, type: "PSRESULTS", values: ["1"])
            ])
        let listing = DataStoreIndexParser.filesets(text)
        #expect(listing.entries == [.init(name: "r1", registered: "2026-11-25T10:00:00Z", type: "PSRESULTS", extra: ["1"])])
    }
}

@Suite struct DataStoreNameTests {
    @Test func acceptsTheDataStoreCharacterSet() {
        for name in ["pstampresults", "web_204", "MOPS.2026-11-25:01", "a+b", "REQ-1"] {
            #expect(DataStoreName.isValid(name, as: .fileset), "\(name)")
        }
    }

    @Test func refusesPathsAndCharactersOutsideTheSet() {
        for name in ["", ".", "..", ".hidden", "a/b", "../etc", "a b", "a\\b", "a[1]", "a^b", "a`b", "é", "a?b", "a%20b"] {
            #expect(!DataStoreName.isValid(name, as: .fileset), "\(name)")
        }
        #expect(!DataStoreName.isValid(String(repeating: "x", count: 65), as: .fileset))
        #expect(DataStoreName.isValid(String(repeating: "x", count: 255), as: .file))
    }

    /// The IPP client's `A-z` range lets `[ \ ] ^ _ \`` through; our registry does not register
    /// them, but reading another store keeps the client's exact rule.
    @Test func theClientRuleIsKeptForReading() {
        #expect(DataStoreName.isStandardField("a[1] b"))
        #expect(!DataStoreName.isStandardField("a/b"))
        #expect(!DataStoreName.isStandardField(""))
    }

    @Test func errorsSayWhatIsWrong() {
        #expect(throws: PStampError(.dataError, "the fileset name 'a/b' holds '/'; allowed are letters, digits and - + _ . :")) {
            try DataStoreName.validate("a/b", as: .fileset)
        }
    }
}

@Suite struct MD5Tests {
    @Test func rfc1321TestSuite() {
        let cases = [
            ("", "d41d8cd98f00b204e9800998ecf8427e"),
            ("a", "0cc175b9c0f1b6a831c399e269772661"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
            ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
            (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
        ]
        for (input, digest) in cases { #expect(MD5.hex(Array(input.utf8)) == digest, "\(input)") }
    }

    @Test func feedingInPiecesGivesTheSameDigest() {
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = MD5.hex(bytes)
        for chunk in [1, 3, 63, 64, 65, 1000] {
            let md5 = MD5()
            var i = 0
            while i < bytes.count { md5.update(bytes[i..<min(i + chunk, bytes.count)]); i += chunk }
            #expect(md5.hexDigest == whole, "chunk \(chunk)")
        }
    }
}
