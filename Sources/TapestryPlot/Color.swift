/// An opaque 8-bit RGB colour.
///
/// The single-letter constants follow matplotlib's format-string colours, so `'bo'` in a Keras
/// tutorial becomes `style: .dots, color: .blue`.
public struct Color: Hashable, Sendable, CustomStringConvertible {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// matplotlib `'b'`.
    public static let blue = Color(red: 0, green: 0, blue: 255)
    /// matplotlib `'g'` (a darker green than pure #00FF00).
    public static let green = Color(red: 0, green: 128, blue: 0)
    /// matplotlib `'r'`.
    public static let red = Color(red: 255, green: 0, blue: 0)
    /// matplotlib `'c'`.
    public static let cyan = Color(red: 0, green: 191, blue: 191)
    /// matplotlib `'m'`.
    public static let magenta = Color(red: 191, green: 0, blue: 191)
    /// matplotlib `'y'`.
    public static let yellow = Color(red: 191, green: 191, blue: 0)
    /// matplotlib `'k'`.
    public static let black = Color(red: 0, green: 0, blue: 0)
    /// matplotlib `'w'`.
    public static let white = Color(red: 255, green: 255, blue: 255)

    /// The colours given to series added without one, in order (matplotlib's default cycle).
    public static let cycle: [Color] = [
        Color(red: 31, green: 119, blue: 180), Color(red: 255, green: 127, blue: 14),
        Color(red: 44, green: 160, blue: 44), Color(red: 214, green: 39, blue: 40),
        Color(red: 148, green: 103, blue: 189), Color(red: 140, green: 86, blue: 75),
        Color(red: 227, green: 119, blue: 194), Color(red: 127, green: 127, blue: 127),
        Color(red: 188, green: 189, blue: 34), Color(red: 23, green: 190, blue: 207),
    ]

    /// The matplotlib colour for a format-string letter (`b g r c m y k w`), or `nil`.
    public init?(matplotlibLetter letter: Character) {
        switch letter {
        case "b": self = .blue
        case "g": self = .green
        case "r": self = .red
        case "c": self = .cyan
        case "m": self = .magenta
        case "y": self = .yellow
        case "k": self = .black
        case "w": self = .white
        default: return nil
        }
    }

    /// `#rrggbb`, as SVG and CSS write it.
    public var hex: String {
        let digits = Array("0123456789abcdef")
        return "#" + [red, green, blue].map { "\(digits[Int($0 >> 4)])\(digits[Int($0 & 15)])" }.joined()
    }

    public var description: String { hex }

    /// Mixes `self` over `background` with weight `alpha` in 0...1.
    func blended(over background: Color, alpha: Double) -> Color {
        func mix(_ a: UInt8, _ b: UInt8) -> UInt8 {
            UInt8((Double(a) * alpha + Double(b) * (1 - alpha)).rounded())
        }
        return Color(red: mix(red, background.red), green: mix(green, background.green), blue: mix(blue, background.blue))
    }
}
