// DATASUM / CHECKSUM of the current HDU (FITS checksum convention, cfitsio `fits_write_chksum`).
//
//   try f.writeChecksum()                  // after the HDU's data and keywords are final
//   let s = try f.verifyChecksum()         // .valid / .missing / .invalid for data and whole HDU
//   try f.writeChecksumsInAllHDUs()        // each HDU in turn, returning to the current one
import CFITSIO

public enum ChecksumState: Sendable, Equatable {
    case valid, missing, invalid
    init(_ code: Int32) { self = code == 1 ? .valid : (code == 0 ? .missing : .invalid) }
}

extension FITSFile {
    /// Computes and writes DATASUM and CHECKSUM for the current HDU.
    public func writeChecksum() throws {
        var status: Int32 = 0
        ffpcks(try fptr(), &status)
        try checkStatus(status, "write checksum in \(path)")
    }

    /// Writes DATASUM and CHECKSUM in every HDU of the file.
    public func writeChecksumsInAllHDUs() throws {
        let current = currentHDU
        for n in 1...(try hduCount()) {
            try moveTo(hdu: n)
            try writeChecksum()
        }
        try moveTo(hdu: max(current, 1))
    }

    /// Checks DATASUM (the data) and CHECKSUM (the whole HDU) of the current HDU.
    public func verifyChecksum() throws -> (data: ChecksumState, hdu: ChecksumState) {
        var status: Int32 = 0, dataOK: Int32 = 0, hduOK: Int32 = 0
        ffvcks(try fptr(), &dataOK, &hduOK, &status)
        try checkStatus(status, "verify checksum in \(path)")
        return (ChecksumState(dataOK), ChecksumState(hduOK))
    }
}
