using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Unicode;
using System.Text.RegularExpressions;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Dbf.Fields;
using NetTopologySuite.IO.Esri.Shapefiles.Readers;
using NetTopologySuite.IO.Esri.Shapefiles.Writers;
using Watershed.LandUse.Domain.Spatial;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.LandUse.Domain.Exchange;

/// <summary>
/// A plan version as a zipped ESRI Shapefile (.shp, .shx, .dbf, .prj in WGS84, .cpg "UTF-8"). A DBF column name has at
/// most 10 characters and a text value at most 254 bytes, so the columns are zone_code, name, category, subcategor (as
/// GDAL cuts "subcategory"), uses (as <see cref="UsesText"/>), notes, area_ha and zone_id, and a text longer than 254
/// bytes continues in columns named with "_2", "_3" … (notes, notes_2, notes_3), cut inside a word: reading joins
/// them back, so nothing is lost. Reading takes a zip holding one Shapefile; its .prj, when present, must be
/// geographic WGS84; its .cpg names the text encoding (else UTF-8 when the records are valid UTF-8, else ISO-8859-1 as GDAL reads a DBF without one).
/// </summary>
public static partial class ZoneShapefile
{
    public const int MaxTextBytes = 254;

    private const string Wgs84Prj = """GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]""";

    public static byte[] Write(PlanVersion version, string baseName)
    {
        var texts = version.Zones.Select(z => new Dictionary<string, string>
        {
            ["zone_code"] = z.Code,
            ["name"] = z.Name,
            ["category"] = Zee.Name(z.Category),
            ["subcategor"] = Zee.Name(z.Subcategory),
            ["uses"] = UsesText.Write(z.Uses),
            ["notes"] = z.Notes,
            ["zone_id"] = z.Id.ToString(),
        }.ToDictionary(p => p.Key, p => Pieces(TextRules.ForJson(p.Value)))).ToList();
        string[] order = ["zone_code", "name", "category", "subcategor", "uses", "notes"];
        var columns = order.ToDictionary(name => name, name => texts.Count == 0 ? 1 : texts.Max(t => t[name].Count));
        var fields = new List<DbfField>();
        foreach (var name in order)
        {
            fields.AddRange(Enumerable.Range(1, columns[name]).Select(i => new DbfCharacterField(Continuation(name, i), MaxTextBytes)));
        }

        fields.Add(new DbfNumericDoubleField("area_ha"));
        fields.Add(new DbfCharacterField("zone_id", 36));

        using var shp = new MemoryStream();
        using var shx = new MemoryStream();
        using var dbf = new MemoryStream();
        using var prj = new MemoryStream();
        var options = new ShapefileWriterOptions(ShapeType.Polygon, [.. fields]) { Encoding = Encoding.UTF8, Projection = Wgs84Prj };
        using (var writer = Shapefile.OpenWrite(shp, shx, dbf, prj, options))
        {
            foreach (var (zone, text) in version.Zones.Zip(texts))
            {
                var attributes = new AttributesTable();
                foreach (var name in order)
                {
                    for (var i = 1; i <= columns[name]; i++)
                    {
                        attributes.Add(Continuation(name, i), i <= text[name].Count ? text[name][i - 1] : "");
                    }
                }

                attributes.Add("area_ha", Math.Round(zone.AreaHectares, 4));
                attributes.Add("zone_id", text["zone_id"][0]);
                writer.Write(new Feature(zone.Geometry, attributes));
            }
        }

        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (extension, bytes) in new[] { (".shp", shp.ToArray()), (".shx", shx.ToArray()), (".dbf", dbf.ToArray()), (".prj", prj.ToArray()), (".cpg", "UTF-8"u8.ToArray()) })
            {
                using var entry = archive.CreateEntry(baseName + extension).Open();
                entry.Write(bytes);
            }
        }

        return zip.ToArray();
    }

    /// <summary>The features of the zipped Shapefile; the file as a whole refused when it holds no single polygon Shapefile in WGS84.</summary>
    public static (IReadOnlyList<ZoneFeature> Features, string? Fault) Read(ReadOnlyMemory<byte> file)
    {
        var (entries, fault) = ZoneLayers.Unzip(file, "Shapefile zip");
        if (fault is not null)
        {
            return ([], fault);
        }

        var shapes = entries.Keys.Where(n => n.EndsWith(".shp", StringComparison.OrdinalIgnoreCase) && !n.Split('/').Last().StartsWith('.')).ToList();
        if (shapes.Count != 1)
        {
            return ([], shapes.Count == 0
                ? "The zip holds no .shp file."
                : $"The zip holds {shapes.Count} Shapefiles ({string.Join(", ", shapes.Select(s => TextRules.Echo(s)))}): zip the zones' layer alone.");
        }

        var stem = shapes[0][..^4];
        byte[]? Sidecar(string extension) => entries.TryGetValue(stem + extension, out var bytes) ? bytes : null;
        if (Sidecar(".dbf") is not { } dbf)
        {
            return ([], $"The zip holds {TextRules.Echo(shapes[0])} without its .dbf, which holds the attributes.");
        }

        if (Sidecar(".prj") is { } prj && PrjFault(Encoding.UTF8.GetString(prj)) is { } crs)
        {
            return ([], crs);
        }

        if (StructureFault(entries[shapes[0]], dbf) is { } broken)
        {
            return ([], broken);
        }

        try
        {
            var options = new ShapefileReaderOptions
            {
                Factory = PolygonalGeometry.Factory,
                Encoding = TextEncoding(Sidecar(".cpg"), dbf),
                GeometryBuilderMode = GeometryBuilderMode.IgnoreInvalidShapes,
            };
            using var reader = Shapefile.OpenRead(new MemoryStream(entries[shapes[0]], writable: false), new MemoryStream(dbf, writable: false), options);
            var features = new List<ZoneFeature>();
            while (reader.Read(out var deleted))
            {
                if (deleted)
                {
                    continue;
                }

                if (features.Count >= ZoneFile.MaxFeatures)
                {
                    return ([], $"The layer has more than {ZoneFile.MaxFeatures} features; a version holds at most {ZoneFile.MaxFeatures} zones.");
                }

                var properties = reader.Fields.Select(f => KeyValuePair.Create(f.Name, Value(f.Value))).ToList();
                var geometry = reader.Geometry;
                var invalid = geometry is null or { IsEmpty: true }
                    ? new FieldViolation("geometry", "The feature has no geometry.")
                    : PolygonalGeometry.Check(geometry, "geometry");
                features.Add(new ZoneFeature(null, invalid is null ? geometry : null, invalid, properties, Drawn: invalid is null ? null : geometry));
            }

            return (features, null);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or NotSupportedException or InvalidOperationException
            or IndexOutOfRangeException or InvalidDataException or FormatException or OverflowException or InvalidCastException or DecoderFallbackException)
        {
            // The reader trusts the file's record lengths and types: a broken or hostile file surfaces as one of these.
            return ([], $"The Shapefile cannot be read: {TextRules.Echo(ex.Message, 300)}");
        }
    }

    /// <summary>
    /// What is wrong with the files' structure, checked before the reader sees them: the reader trusts the lengths a file
    /// declares, and a cut or forged file makes it wait for bytes that never come. The .shp (ESRI's specification: a
    /// 100-byte header, then records of an 8-byte header and a declared content length, in 16-bit words, big-endian) must
    /// be as long as it says, every record must fit in it, and its shape type must be a polygon (5, 15 or 25) or null
    /// (0); the .dbf's header length and records must fit in the .dbf.
    /// </summary>
    private static string? StructureFault(byte[] shp, byte[] dbf)
    {
        const string Cut = "The .shp is cut short or damaged: save the layer again.";
        if (shp.Length < 100 || BigEndian(shp, 0) != 9994 || (long)BigEndian(shp, 24) * 2 != shp.Length)
        {
            return Cut;
        }

        var type = BitConverter.ToInt32(shp, 32);
        if (type is not (0 or 5 or 15 or 25))
        {
            return $"The Shapefile holds shapes of type {type}, not polygons: zones are areas (Polygon or MultiPolygon).";
        }

        var records = 0;
        for (long offset = 100; offset < shp.Length; records++)
        {
            if (offset + 8 > shp.Length)
            {
                return Cut;
            }

            var length = (long)BigEndian(shp, (int)offset + 4) * 2;
            if (length < 4 || offset + 8 + length > shp.Length)
            {
                return Cut;
            }

            offset += 8 + length;
        }

        var count = dbf.Length >= 12 ? BitConverter.ToUInt32(dbf, 4) : uint.MaxValue;
        var header = dbf.Length >= 12 ? dbf[8] | (dbf[9] << 8) : int.MaxValue;
        var recordLength = dbf.Length >= 12 ? dbf[10] | (dbf[11] << 8) : 0;
        return header < 33 || recordLength < 1 || header + ((long)count * recordLength) > dbf.Length || count < records
            ? "The .dbf is cut short, damaged or holds fewer records than the .shp: save the layer again."
            : null;
    }

    private static int BigEndian(byte[] bytes, int offset) =>
        (bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];

    private static PropertyValue Value(object? value) => value switch
    {
        null => PropertyValue.Null,
        string text => PropertyValue.Of(text),
        double or float or decimal or int or long or short or byte => new PropertyValue(PropertyKind.Number, Convert.ToString(value, CultureInfo.InvariantCulture)),
        DateTime date => PropertyValue.Of(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        bool flag => PropertyValue.Of(flag ? "true" : "false"),
        _ => PropertyValue.Of(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    /// <summary>Why the .prj is not geographic WGS84, or null when it is.</summary>
    private static string? PrjFault(string wkt)
    {
        var text = wkt.ToUpperInvariant();
        if (text.Contains("PROJCS", StringComparison.Ordinal) || text.Contains("PROJCRS", StringComparison.Ordinal))
        {
            var name = ProjectedName().Match(wkt) is { Success: true } m ? m.Groups["name"].Value : "a projected system";
            return $"The Shapefile's .prj says {TextRules.Echo(name, 80)}, a projection; zones are WGS84 longitude/latitude (EPSG:4326): save the layer in EPSG:4326.";
        }

        return text.Contains("WGS_1984", StringComparison.Ordinal) || text.Contains("WGS 84", StringComparison.Ordinal) || text.Contains("WGS84", StringComparison.Ordinal)
            ? null
            : $"The Shapefile's .prj is not WGS84 ({TextRules.Echo(wkt, 80)}); zones are WGS84 longitude/latitude (EPSG:4326): save the layer in EPSG:4326.";
    }

    /// <summary>The .cpg's encoding, else the DBF header's language driver, else UTF-8.</summary>
    private static Encoding? TextEncoding(byte[]? cpg, byte[] dbf)
    {
        var name = cpg is null ? "" : Encoding.ASCII.GetString(cpg).Trim();
        if (name.Length > 0)
        {
            var codePage = new string([.. name.Reverse().TakeWhile(char.IsAsciiDigit).Reverse()]);
            try
            {
                return Zee.Key(name) is "utf_8" or "utf8" ? Encoding.UTF8
                    : Zee.Key(name) is "iso_8859_1" or "88591" or "latin1" ? Encoding.Latin1
                    : codePage.Length > 0 ? CodePagesEncodingProvider.Instance.GetEncoding(int.Parse(codePage, CultureInfo.InvariantCulture)) ?? Encoding.UTF8
                    : Encoding.GetEncoding(name);
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or OverflowException)
            {
                return Encoding.UTF8;
            }
        }

        // No .cpg: records that are valid UTF-8 are UTF-8 (QGIS and GDAL write UTF-8). Otherwise the header's language driver
        // id (byte 29): none (0) or 87, "ANSI", is read as ISO-8859-1 as GDAL reads it (and writes it, under 87, when it
        // converts a UTF-8 layer); any other id is left to the reader's table. Bytes 8-9 are the header's length.
        var records = dbf.Length > 10 ? Math.Min(dbf.Length, dbf[8] | (dbf[9] << 8)) : dbf.Length;
        return Utf8.IsValid(dbf.AsSpan(records)) ? Encoding.UTF8
            : dbf.Length <= 29 || dbf[29] is 0 or 87 ? Encoding.Latin1
            : null;
    }

    /// <summary>
    /// The text cut between characters into pieces of at most <see cref="MaxTextBytes"/> UTF-8 bytes, one empty piece for
    /// "". Pieces are cut inside a word, so none starts or ends with white space (DBF readers trim values as padding);
    /// only a text without any such place (single letters between spaces for 254 bytes) is cut where it must.
    /// </summary>
    private static List<string> Pieces(string text)
    {
        var pieces = new List<string>();
        var start = 0;
        while (true)
        {
            var end = start;
            var bytes = 0;
            while (end < text.Length)
            {
                var length = char.IsHighSurrogate(text[end]) && end + 1 < text.Length ? 2 : 1;
                var size = Encoding.UTF8.GetByteCount(text.AsSpan(end, length));
                if (bytes + size > MaxTextBytes)
                {
                    break;
                }

                bytes += size;
                end += length;
            }

            if (end == text.Length)
            {
                pieces.Add(text[start..]);
                return pieces;
            }

            // Cut inside a word: GDAL trims a DBF value's spaces at both ends, so no piece may start or end with one.
            var cut = end;
            while (cut > start + 1 && (char.IsWhiteSpace(text[cut - 1]) || char.IsWhiteSpace(text[cut]) || char.IsLowSurrogate(text[cut])))
            {
                cut--;
            }

            if (cut == start + 1)
            {
                cut = end;
            }

            pieces.Add(text[start..cut]);
            start = cut;
        }
    }

    internal static string Continuation(string name, int i) => i == 1 ? name : $"{name}_{i}";

    [GeneratedRegex("PROJC(?:RS|S)\\[\"(?<name>[^\"]*)\"", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ProjectedName();
}
