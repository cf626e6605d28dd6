// Copying one header into many files (the stamp engine writes the parent's keywords into every stamp):
// read the content cards once, append them to each new header in one go.
//
//   let cards = try parent.contentCards()     // as copyUserKeywords selects them, read once
//   try stamp.appendCards(cards)              // each card as given (ffprec)
import CFITSIO

extension FITSFile {
    /// The cards `copyUserKeywords(from:)` would copy from the current header: all but structural,
    /// compression, scaling, null, checksum and EXTNAME/EXTVER cards (and `excluded` keywords).
    public func contentCards(excluding excluded: Set<String> = []) throws -> [String] {
        try headerCards().filter { card in
            var chars = Array(card.utf8CString)
            let cls = ffgkcl(&chars)
            let key = String(card.prefix(8)).fitsTrimmed
            return
                !(cls == TYP_STRUC_KEY || cls == TYP_CMPRS_KEY || cls == TYP_SCAL_KEY || cls == TYP_NULL_KEY
                || cls == TYP_CKSUM_KEY || key == "EXTNAME" || key == "EXTVER" || excluded.contains(key))
        }
    }

    /// Appends cards to the current header, each as given (valid 80-character FITS cards).
    public func appendCards(_ cards: [String]) throws {
        let f = try fptr()
        var status: Int32 = 0
        for card in cards {
            ffprec(f, card, &status)
            if status != 0 { break }
        }
        try checkStatus(status, "append \(cards.count) header cards in \(path)")
    }
}
