import DataStore
import Foundation
import PStampCore
import Testing

@Suite("Registration list: one line per file, written and read by RegistrationEntry")
struct RegistrationListTests {
    @Test("a measured entry is written name|bytes|md5|type| and read back as it was")
    func roundTrip() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("reglist-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("1_1_r_chip.fits")
        try Data("stamp".utf8).write(to: file)
        let entry = try RegistrationEntry(path: file.path, type: "pstamp").measured()
        let text = RegistrationEntry.list([entry])
        #expect(text == "1_1_r_chip.fits|5|\(MD5.hex(Array("stamp".utf8)))|pstamp|\n")
        let read = try RegistrationEntry.parseList(text)
        #expect(read == [RegistrationEntry(path: "1_1_r_chip.fits", bytes: 5, md5: entry.md5, type: "pstamp")])
    }

    @Test("an empty list is an error for dsreg, and no files for a job that made none")
    func emptyList() throws {
        #expect(throws: PStampError.self) { try RegistrationEntry.parseList("") }
        #expect(try RegistrationEntry.parseList("", allowEmpty: true).isEmpty)
    }
}
