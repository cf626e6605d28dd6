/// `results.mdc`: the text dump of a results table as the IPP's `pstampdump results.fits` prints it
/// (formats-and-cutouts.md §3.2):
///
///     ROW_1 METADATA
///     ROWNUM           U32       1
///     ERROR_CODE       U32       0
///     ERROR_STR        STR       PSTAMP_SUCCESS
///     …
///     END
///
/// Column lines are psLib metadata-config item lines (`MetadataConfig.itemLine`: name to 15, type to 8,
/// value to 15, STR lines one space more, blank strings `NULL`, F64 `%.15g`), not indented, as
/// psMetadataConfigFormat prints a flat row. ROWNUM and ERROR_CODE are unsigned 32-bit columns, typed U32.
public enum ResultsMetadataDump {
    /// The items of one results row, in column order (ROWNUM and ERROR_CODE are U32).
    public static func items(of row: ResultRow) -> [MetadataItem] {
        [
            MetadataItem("ROWNUM", .u32(UInt32(clamping: row.rownum))),
            MetadataItem("ERROR_CODE", .u32(UInt32(clamping: row.errorCode.rawValue))),
            MetadataItem("ERROR_STR", .str(row.errorString)), MetadataItem("IMG_NAME", .str(row.imgName)),
            MetadataItem("JOB_ID", .s64(row.jobID)),
            MetadataItem("RA_DEG", .f64(row.raDeg)), MetadataItem("DEC_DEG", .f64(row.decDeg)),
            MetadataItem("MJD_OBS", .f64(row.mjdObs)), MetadataItem("RA_OBS", .f64(row.raObs)),
            MetadataItem("DEC_OBS", .f64(row.decObs)), MetadataItem("FILTER", .str(row.filter)),
            MetadataItem("EXPTIME", .f64(row.exptime)), MetadataItem("FPA_ID", .str(row.fpaID)),
            MetadataItem("PROJECT", .str(row.project)), MetadataItem("JOB_TYPE", .str(row.jobType)),
            MetadataItem("REQ_TYPE", .str(row.reqType)), MetadataItem("IMG_TYPE", .str(row.imgType)),
            MetadataItem("ID", .str(row.id)), MetadataItem("TESS_ID", .str(row.tessID)),
            MetadataItem("COMPONENT", .str(row.component)), MetadataItem("DATA_GROUP", .str(row.dataGroup)),
            MetadataItem("OPTION_MASK", .s32(Int32(clamping: row.optionMask))),
            MetadataItem("MJD_MIN", .f64(row.mjdMin)), MetadataItem("MJD_MAX", .f64(row.mjdMax)),
            MetadataItem("REQFILT", .str(row.reqfilt)),
            MetadataItem("COORD_MASK", .s32(Int32(clamping: row.coordMask))),
            MetadataItem("CENTER_X", .f64(row.centerX)), MetadataItem("CENTER_Y", .f64(row.centerY)),
            MetadataItem("WIDTH", .f64(row.width)), MetadataItem("HEIGHT", .f64(row.height)),
            MetadataItem("COMMENT", .str(row.comment)),
        ]
    }

    /// The whole dump of a results table (its rows' blocks made on all cores: a big request's dump has
    /// some 30 lines per row).
    public static func format(_ rows: [ResultRow]) -> String {
        let blocks = Array(rows.enumerated()).concurrentMap { i, row in block(i + 1, row) }
        return blocks.joined()
    }

    /// One row's block: `ROW_<n> METADATA`, its items, `END`.
    static func block(_ number: Int, _ row: ResultRow) -> String {
        var out = "ROW_\(number) METADATA\n"
        for item in items(of: row) {
            out += MetadataConfig.itemLine(item)
        }
        out += "END\n"
        return out
    }
}
