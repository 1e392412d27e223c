import XCTest
@testable import TapestryPlot

final class BitmapFontTests: XCTestCase {
    func testEveryPrintableASCIIGlyphHasEightFiveBitRows() {
        XCTAssertEqual(BitmapFont.bitmaps.count, 95)
        for (index, rows) in BitmapFont.bitmaps.enumerated() {
            XCTAssertEqual(rows.count, 8, "glyph \(index + 32)")
            XCTAssertTrue(rows.allSatisfy { $0 < 32 }, "glyph \(index + 32) is wider than 5")
        }
    }

    func testGlyphsAreDistinctAndOnlySpaceIsBlank() {
        let glyphs = BitmapFont.bitmaps
        XCTAssertEqual(Set(glyphs.map { $0.map(String.init).joined(separator: ",") }).count, glyphs.count)
        for (index, rows) in glyphs.enumerated() where index != 0 {
            XCTAssertTrue(rows.contains { $0 != 0 }, "glyph \(index + 32) is blank")
        }
        XCTAssertTrue(glyphs[0].allSatisfy { $0 == 0 })
    }

    func testShapesOfSomeGlyphs() {
        func picture(_ c: Unicode.Scalar) -> [String] {
            (0..<8).map { row in String((0..<5).map { BitmapFont.isInk(c, column: $0, row: row) ? "#" : "." }) }
        }
        XCTAssertEqual(picture("A"), [".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#", "....."])
        XCTAssertEqual(picture("1"), ["..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###.", "....."])
        // Descenders use the eighth row; capitals never do.
        XCTAssertTrue(BitmapFont.isInk("y", column: 1, row: 7))
        XCTAssertTrue((0..<5).allSatisfy { !BitmapFont.isInk("E", column: $0, row: 7) })
        XCTAssertFalse(BitmapFont.isInk("A", column: 5, row: 0))
        // Outside ASCII: the replacement box.
        XCTAssertEqual(picture("\u{e9}")[0], "#####")
    }

    func testWidth() {
        XCTAssertEqual(BitmapFont.width(of: "", scale: 2), 0)
        XCTAssertEqual(BitmapFont.width(of: "a", scale: 1), 5)
        XCTAssertEqual(BitmapFont.width(of: "loss", scale: 2), 46)
    }

    func testDrawTextPutsInkWhereTheGlyphSays() {
        var canvas = Canvas(width: 20, height: 20)
        canvas.drawText("I", x: 2, y: 3, scale: 2, color: .black)
        // "I" row 0 is ".###.": columns 1-3, each font pixel 2x2 from (2, 3).
        XCTAssertEqual(canvas[2, 3], .white)
        XCTAssertEqual(canvas[4, 3], .black)
        XCTAssertEqual(canvas[9, 4], .black)
        XCTAssertEqual(canvas[10, 3], .white)
        // Row 1 is "..#..": only column 2.
        XCTAssertEqual(canvas[4, 5], .white)
        XCTAssertEqual(canvas[6, 5], .black)

        var vertical = Canvas(width: 20, height: 20)
        vertical.drawText("I", x: 2, y: 15, scale: 1, color: .black, vertical: true)
        // Bottom to top: the glyph's top row lands in the left column, its first column at the bottom.
        XCTAssertEqual(vertical[2, 13], .black)   // row 0, column 1
        XCTAssertEqual(vertical[2, 14], .white)   // row 0, column 0
        XCTAssertEqual(vertical[3, 12], .black)   // row 1, column 2
    }
}
