import DataStore
import Foundation
import PStampCore
import RequestDB
import Testing

/// Registration (dsreg --add/--del) against a real SQLite request database and real files.
@Suite struct DataStoreRegistryTests {
    static let t0 = DataStoreTime.parse("2026-11-25T10:00:00Z")!

    @Test func registersByLinkMeasuringSizesAndMD5() async throws {
        let ds = try TestDataStore()
        defer { ds.remove() }
        try ds.registry.addProduct("pstampresults", type: "psresults", description: "Postage Stamp Results", columnLabels: ["req_id"])
        let work = try ds.source("work/7", ["results.fits": "FITS bytes", "results.mdc": "mdc"])
        try ds.registry.register(
            product: "pstampresults", fileset: "myreq", type: "PSRESULTS",
            files: RegistrationEntry.parseList("results.fits|||table|\nresults.mdc|||text|\n"),
            dataPath: work, placement: .link, values: ["7"], registered: Self.t0)
        // A hard link: the very file of the source (one inode), not a symlink pointing out of the root.
        let link = ds.directory.appendingPathComponent("ds/pstampresults/myreq/results.fits").path
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == nil)
        let inode = { (path: String) in try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? NSNumber }
        #expect(try inode(link) != nil)
        #expect(try inode(link) == inode(work.appendingPathComponent("results.fits").path))
        // Removing the source (a cleaned work directory) leaves the registered file whole.
        try FileManager.default.removeItem(at: work)
        #expect(try String(contentsOfFile: link, encoding: .utf8) == "FITS bytes")
        let fits = MD5.hex(Array("FITS bytes".utf8)), mdc = MD5.hex(Array("mdc".utf8))
        #expect(
            try await ds.registry.filesetIndex(product: "pstampresults", fileset: "myreq") == """
                # fileID          |bytes   |md5sum                          |type        |
                results.fits      |10      |\(fits)|table       |
                # fileID          |bytes   |md5sum                          |type        |component|
                results.mdc       |3       |\(mdc)|text        |

                """)
        #expect(
            try await ds.registry.productIndex(product: "pstampresults", after: nil) == """
                # filesetID|time registered     |type     |req_id|
                myreq      |2026-11-25T10:00:00Z|PSRESULTS|7     |

                """)
        #expect(
            try await ds.registry.rootIndex() == """
                # productID  |Most recent |Time registered     |type     |Description                     |
                pstampresults|myreq       |2026-11-25T10:00:00Z|psresults|Postage Stamp Results           |

                """)
    }

    @Test func aSymlinkedSourceIsRegisteredAsTheFileItNames() async throws {
        let ds = try TestDataStore()
        defer { ds.remove() }
        try ds.registry.addProduct("out", type: "psresults", description: "d")
        let work = try ds.source("w", ["real.fits": "the stamp bytes"])
        let alias = work.appendingPathComponent("stamp.fits")
        try FileManager.default.createSymbolicLink(at: alias, withDestinationURL: work.appendingPathComponent("real.fits"))
        try ds.registry.register(
            product: "out", fileset: "fs", type: "PSRESULTS", files: [.init(path: "stamp.fits", type: "pstamp")],
            dataPath: work, placement: .link)
        let registered = ds.directory.appendingPathComponent("ds/out/fs/stamp.fits").path
        // The file itself (its inode), not a link to the symlink, which would dangle once the work
        // directory is cleaned; its size and md5 are the file's.
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: registered)) == nil)
        try FileManager.default.removeItem(at: work)
        #expect(try String(contentsOfFile: registered, encoding: .utf8) == "the stamp bytes")
        let index = try await ds.registry.filesetIndex(product: "out", fileset: "fs")
        #expect(index.contains("|15      |\(MD5.hex(Array("the stamp bytes".utf8)))|"), "\(index)")
    }

    @Test func copiesAndRemeasuresAStaleListedSize() async throws {
        let ds = try TestDataStore()
        defer { ds.remove() }
        try ds.registry.addProduct("out", type: "psresults", description: "d")
        let work = try ds.source("w", ["a.fits": "12345"])
        try ds.registry.register(
            product: "out", fileset: "fs", type: "PSRESULTS",
            files: [.init(path: "a.fits", bytes: 99, md5: String(repeating: "0", count: 32), type: "pstamp")],
            dataPath: work, placement: .copy)
        let copy = ds.directory.appendingPathComponent("ds/out/fs/a.fits").path
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: copy)) == nil)
        let files = try ds.store.files(filesetID: try #require(try ds.store.fileset(product: "out", name: "fs")).filesetID)
        #expect(files.map(\.bytes) == [5])
        #expect(files.map(\.md5) == [MD5.hex(Array("12345".utf8))])
    }

    @Test func aUsedFilesetNameIsRefused() throws {
        let ds = try TestDataStore()
        defer { ds.remove() }
        try ds.registry.addProduct("out", type: "psresults", description: "d")
        let work = try ds.source("w", ["a.fits": "x"])
        try ds.registry.register(
            product: "out", fileset: "fs", type: "PSRESULTS", files: [.init(path: "a.fits", type: "pstamp")], dataPath: work)
        #expect(throws: OutgoingDataStoreError.filesetExists(fileset: "fs", product: "out")) {
            try ds.registry.register(
                product: "out", fileset: "fs", type: "PSRESULTS", files: [.init(path: "a.fits", type: "pstamp")], dataPath: work)
        }
    }

    @Test func namesThatWouldLeaveTheRootAreRefusedBeforeTouchingTheDisk() throws {
        let ds = try TestDataStore()
        defer { ds.remove() }
        try ds.registry.addProduct("out", type: "psresults", description: "d")
        let work = try ds.source("w", ["a.fits": "x"])
        for (fileset, file) in [("..", "a.fits"), ("../../tmp", "a.fits"), ("a b", "a.fits"), ("ok", "a b.fits"), ("ok", "index.txt")] {
            #expect(throws: PStampError.self, "\(fileset) \(file)") {
                try ds.registry.register(
                    product: "out", fileset: fileset, type: "PSRESULTS",
                    files: [.init(path: "sub/" + file, type: "pstamp")], dataPath: work)
            }
        }
        #expect(throws: PStampError.self) { try ds.registry.addProduct("../evil", type: "psresults", description: "d") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: ds.directory.appendingPathComponent("ds/out").path).isEmpty)
    }

    @Test func aMissingSourceRollsEverythingBack() throws {
        let ds = try TestDataStore()
        defer { ds.remove() }
        try ds.registry.addProduct("out", type: "psresults", description: "d")
        let work = try ds.source("w", ["a.fits": "x"])
        #expect(throws: PStampError.self) {
            try ds.registry.register(
                product: "out", fileset: "fs", type: "PSRESULTS",
                files: [.init(path: "a.fits", type: "pstamp"), .init(path: "missing.fits", type: "pstamp")],
                dataPath: work)
        }
        #expect(try ds.store.fileset(product: "out", name: "fs") == nil)
        #expect(!FileManager.default.fileExists(atPath: ds.directory.appendingPathComponent("ds/out/fs").path))
        #expect(try ds.store.product(named: "out")?.lastFileset == nil)
    }

    @Test func anUnknownProductIsRefusedUnlessAskedToCreateIt() throws {
        let ds = try TestDataStore()
        defer { ds.remove() }
        let work = try ds.source("w", ["a.fits": "x"])
        #expect(throws: OutgoingDataStoreError.productNotFound("new")) {
            try ds.registry.register(
                product: "new", fileset: "fs", type: "PSRESULTS", files: [.init(path: "a.fits", type: "pstamp")], dataPath: work)
        }
        try ds.registry.register(
            product: "new", fileset: "fs", type: "PSRESULTS", files: [.init(path: "a.fits", type: "pstamp")],
            dataPath: work, createProduct: true)
        #expect(try ds.store.product(named: "new")?.type == "psresults")
    }

    @Test func deleteRemovesRowsAndDirectoryAndMovesLastFilesetBack() throws {
        let ds = try TestDataStore()
        defer { ds.remove() }
        try ds.registry.addProduct("out", type: "psresults", description: "d")
        let work = try ds.source("w", ["a.fits": "x"])
        for name in ["fs1", "fs2"] {
            try ds.registry.register(
                product: "out", fileset: name, type: "PSRESULTS", files: [.init(path: "a.fits", type: "pstamp")], dataPath: work)
        }
        #expect(try ds.store.product(named: "out")?.lastFileset == "fs2")
        try ds.registry.delete(product: "out", fileset: "fs2")
        #expect(try ds.store.product(named: "out")?.lastFileset == "fs1")
        #expect(!FileManager.default.fileExists(atPath: ds.directory.appendingPathComponent("ds/out/fs2").path))
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("a.fits").path), "the linked source stays")
        #expect(throws: OutgoingDataStoreError.filesetNotFound(fileset: "fs2", product: "out")) {
            try ds.registry.delete(product: "out", fileset: "fs2")
        }
        try ds.registry.delete(product: "out", fileset: "fs2", force: true)
        try ds.registry.delete(product: "out", fileset: "fs1")
        #expect(try ds.store.product(named: "out")?.lastFileset == nil)
    }

    @Test func twoRegistrationsOfOneNameAtOnceLeaveOneIntactFileset() async throws {
        let ds = try TestDataStore()
        defer { ds.remove() }
        try ds.registry.addProduct("out", type: "psresults", description: "d")
        let work = try ds.source("w", ["a.fits": "x", "b.fits": "yy"])
        let registry = ds.registry
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    (try? registry.register(
                        product: "out", fileset: "fs", type: "PSRESULTS",
                        files: [.init(path: "a.fits", type: "pstamp"), .init(path: "b.fits", type: "pstamp")],
                        dataPath: work)) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        let fs = try #require(try ds.store.fileset(product: "out", name: "fs"))
        #expect(try ds.store.files(filesetID: fs.filesetID).map(\.name) == ["a.fits", "b.fits"])
        let dir = ds.directory.appendingPathComponent("ds/out/fs")
        #expect(try Data(contentsOf: dir.appendingPathComponent("b.fits")) == Data("yy".utf8))
    }

    @Test func theListFormatOfDsreg() throws {
        let entries = try RegistrationEntry.parseList(
            "results.fits|28800|4e2048479e551844e31102a301d50740|table|\n\nsub/x.fits|||chip|XY01|\n")
        #expect(
            entries == [
                .init(path: "results.fits", bytes: 28800, md5: "4e2048479e551844e31102a301d50740", type: "table"),
                .init(path: "sub/x.fits", type: "chip", values: ["XY01"]),
            ])
        #expect(entries[1].name == "x.fits")
        #expect(throws: PStampError(.progError, "malformed list line 1: a|b")) { try RegistrationEntry.parseList("a|b") }
        #expect(throws: PStampError(.progError, "empty filelist")) { try RegistrationEntry.parseList("\n") }
    }
}
