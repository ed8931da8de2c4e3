using System.IO.Compression;

namespace Watershed.LandUse.Domain.Exchange;

/// <summary>The file formats a layer of zones is exchanged in (the proto LayerFormat's twin, hence "Geojson").</summary>
public enum LayerFormat
{
    Geojson = 1,
    Kml = 2,
    /// <summary>Zipped KML, as Google Earth saves it: the first .kml entry (doc.kml by convention).</summary>
    Kmz = 3,
    Geopackage = 4,
    /// <summary>A .zip holding one Shapefile: .shp, .shx and .dbf, with .prj and .cpg when present.</summary>
    ShapefileZip = 5,
}

/// <summary>Reads a layer of zones in any <see cref="LayerFormat"/>, each through <see cref="ZoneFile"/>'s one import.</summary>
public static class ZoneLayers
{
    /// <summary>
    /// The most bytes read out of one zipped entry. A zip's declared sizes can lie and a few kilobytes can inflate to
    /// gigabytes; a layer of 5000 zones of ordinary detail is a few megabytes.
    /// </summary>
    public const long MaxUnzippedBytes = 64L << 20;

    /// <summary>The format told from the first bytes: a GeoPackage is SQLite, KML is XML, a zip holds KML or a Shapefile.</summary>
    public static LayerFormat? Detect(ReadOnlyMemory<byte> file)
    {
        var span = file.Span;
        if (span.StartsWith("SQLite format 3\0"u8))
        {
            return LayerFormat.Geopackage;
        }

        if (span.StartsWith("PK\u0003\u0004"u8))
        {
            try
            {
                using var zip = new ZipArchive(new MemoryStream(file.ToArray(), writable: false), ZipArchiveMode.Read);
                return zip.Entries.Any(e => e.FullName.EndsWith(".kml", StringComparison.OrdinalIgnoreCase)) ? LayerFormat.Kmz
                    : zip.Entries.Any(e => e.FullName.EndsWith(".shp", StringComparison.OrdinalIgnoreCase)) ? LayerFormat.ShapefileZip
                    : null;
            }
            catch (InvalidDataException)
            {
                return null;
            }
        }

        var text = span.StartsWith("\uFEFF"u8) ? span[3..] : span;
        var first = text.TrimStart(" \t\r\n"u8);
        return first.IsEmpty ? null : first[0] switch
        {
            (byte)'{' => LayerFormat.Geojson,
            (byte)'<' => LayerFormat.Kml,
            _ => null,
        };
    }

    public static ZoneImport Read(LayerFormat format, ReadOnlyMemory<byte> file, WatershedUnit watershed) => format switch
    {
        LayerFormat.Geojson => ZoneGeoJson.Read(file, watershed),
        LayerFormat.Kml => FromFeatures(ZoneKml.Read(file), watershed),
        LayerFormat.Kmz => Unzipped(file, ".kml", "KMZ", kml => FromFeatures(ZoneKml.Read(kml), watershed)),
        _ => ZoneImport.Failed($"{format} layers cannot be imported yet: export the layer from QGIS as GeoJSON or KML."),
    };

    private static ZoneImport FromFeatures((IReadOnlyList<ZoneFeature> Features, string? Fault) read, WatershedUnit watershed) =>
        read.Fault is { } fault ? ZoneImport.Failed(fault) : ZoneFile.Import(read.Features, watershed);

    /// <summary>The zip's first entry with the extension (doc.kml first for KMZ), read within <see cref="MaxUnzippedBytes"/>.</summary>
    private static ZoneImport Unzipped(ReadOnlyMemory<byte> file, string extension, string format, Func<ReadOnlyMemory<byte>, ZoneImport> read)
    {
        var (entries, fault) = Unzip(file, format);
        if (fault is not null)
        {
            return ZoneImport.Failed(fault);
        }

        var entry = entries.Keys.Where(n => n.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            .OrderBy(n => n.Equals("doc.kml", StringComparison.OrdinalIgnoreCase) ? 0 : 1).ThenBy(n => n, StringComparer.Ordinal)
            .FirstOrDefault();
        return entry is null
            ? ZoneImport.Failed($"The {format} file holds no {extension} file.")
            : read(entries[entry]);
    }

    /// <summary>Every file entry of a zip by its full name, or why the zip cannot be read.</summary>
    internal static (IReadOnlyDictionary<string, byte[]> Entries, string? Fault) Unzip(ReadOnlyMemory<byte> file, string format)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(file.ToArray(), writable: false), ZipArchiveMode.Read);
            var entries = new Dictionary<string, byte[]>(StringComparer.OrdinalIgnoreCase);
            long total = 0;
            foreach (var entry in zip.Entries.Where(e => !e.FullName.EndsWith('/')))
            {
                using var stream = entry.Open();
                using var copy = new MemoryStream();
                var chunk = new byte[81920];
                int read;
                while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
                {
                    total += read;
                    if (total > MaxUnzippedBytes)
                    {
                        return (new Dictionary<string, byte[]>(), $"The {format} file unzips to more than {MaxUnzippedBytes >> 20} MB; a layer of zones is far smaller.");
                    }

                    copy.Write(chunk, 0, read);
                }

                entries[entry.FullName] = copy.ToArray();
            }

            return (entries, null);
        }
        catch (InvalidDataException ex)
        {
            return (new Dictionary<string, byte[]>(), $"The {format} file is not a readable zip: {TextRules.Echo(ex.Message, 300)}");
        }
    }
}
