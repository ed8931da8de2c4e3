using System.Globalization;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Watershed.LandUse.Domain.Spatial;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.LandUse.Domain.Exchange;

/// <summary>
/// A plan version as an OGC GeoPackage 1.3 (a SQLite file, QGIS's own format): one feature table "zones" in EPSG:4326
/// with the GeoJSON export's attributes as columns (zone_code, name, category, subcategory, uses as
/// <see cref="UsesText"/>, notes, area_ha REAL, zone_id). Its geometry type is POLYGON when every zone is a Polygon,
/// else MULTIPOLYGON (Polygons written as MultiPolygons of one part, as QGIS does). Reading takes the file's feature
/// table (the one named zones or zonas when there are several) in EPSG:4326, every other column a property.
/// SQLite needs a file: the bytes pass through a temporary file that is deleted at once.
/// </summary>
public static class ZoneGeoPackage
{
    public const string Table = "zones";

    /// <summary>The GeoPackage application id, "GPKG" in ASCII.</summary>
    private const int ApplicationId = 0x47504B47;

    private static readonly (string Name, string Type)[] Columns =
    [
        ("zone_code", "TEXT NOT NULL"), ("name", "TEXT"), ("category", "TEXT"), ("subcategory", "TEXT"), ("uses", "TEXT"),
        ("notes", "TEXT"), ("area_ha", "REAL"), ("zone_id", "TEXT"),
    ];

    public static byte[] Write(PlanVersion version, string title) => WithTemporaryFile(path =>
    {
        using (var connection = Open(path, SqliteOpenMode.ReadWriteCreate))
        {
            var multi = version.Zones.Any(z => z.Geometry is MultiPolygon);
            var envelope = new Envelope();
            foreach (var zone in version.Zones)
            {
                envelope.ExpandToInclude(zone.Geometry.EnvelopeInternal);
            }

            using var transaction = connection.BeginTransaction();
            CreateContainer(connection, transaction);
            Execute(connection, transaction, $"""
                CREATE TABLE {Table} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom {(multi ? "MULTIPOLYGON" : "POLYGON")},
                  {string.Join(", ", Columns.Select(c => $"{c.Name} {c.Type}"))});
                """);
            Execute(connection, transaction,
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id) "
                + "VALUES ($table, 'features', $identifier, '', strftime('%Y-%m-%dT%H:%M:%fZ','now'), $minx, $miny, $maxx, $maxy, 4326)",
                ("$table", Table), ("$identifier", TextRules.ForJson(title)),
                ("$minx", envelope.IsNull ? null : envelope.MinX), ("$miny", envelope.IsNull ? null : envelope.MinY),
                ("$maxx", envelope.IsNull ? null : envelope.MaxX), ("$maxy", envelope.IsNull ? null : envelope.MaxY));
            Execute(connection, transaction, $"INSERT INTO gpkg_geometry_columns VALUES ('{Table}', 'geom', '{(multi ? "MULTIPOLYGON" : "POLYGON")}', 4326, 0, 0)");

            // Two dimensions only: the writer's default adds Z and M, which GDAL reads as NaN and drops the geometry.
            var writer = new GeoPackageGeoWriter { HandleOrdinates = Ordinates.XY };
            foreach (var zone in version.Zones)
            {
                var geometry = multi && zone.Geometry is Polygon polygon ? PolygonalGeometry.Factory.CreateMultiPolygon([polygon]) : zone.Geometry;
                Execute(connection, transaction,
                    $"INSERT INTO {Table} (geom, {string.Join(", ", Columns.Select(c => c.Name))}) VALUES ($geom, $zone_code, $name, $category, $subcategory, $uses, $notes, $area_ha, $zone_id)",
                    ("$geom", writer.Write(geometry)), ("$zone_code", zone.Code), ("$name", TextRules.ForJson(zone.Name)),
                    ("$category", Zee.Name(zone.Category)), ("$subcategory", Zee.Name(zone.Subcategory)),
                    ("$uses", TextRules.ForJson(UsesText.Write(zone.Uses))), ("$notes", TextRules.ForJson(zone.Notes)),
                    ("$area_ha", Math.Round(zone.AreaHectares, 4)), ("$zone_id", zone.Id.ToString()));
            }

            transaction.Commit();
        }

        SqliteConnection.ClearAllPools();
        return File.ReadAllBytes(path);
    });

    /// <summary>The features of the file's zone layer; the file as a whole refused when it is no GeoPackage of polygons in WGS84.</summary>
    public static (IReadOnlyList<ZoneFeature> Features, string? Fault) Read(ReadOnlyMemory<byte> file) => WithTemporaryFile(path =>
    {
        File.WriteAllBytes(path, file.ToArray());
        try
        {
            using var connection = Open(path, SqliteOpenMode.ReadOnly);
            return ReadLayer(connection);
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException or InvalidCastException or FormatException or OverflowException)
        {
            // A file that claims to be SQLite may hold anything: a broken page, NULL where the standard says NOT NULL.
            return ([], $"The file is not a readable GeoPackage: {TextRules.Echo(ex.Message, 300)}");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
        }
    });

    private static (IReadOnlyList<ZoneFeature>, string?) ReadLayer(SqliteConnection connection)
    {
        // Only real tables: a view's query could be anything the file's author wrote.
        var layers = Query(connection,
            "SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name "
            + "JOIN sqlite_master m ON m.name = c.table_name AND m.type = 'table' WHERE c.data_type = 'features' ORDER BY c.table_name",
            r => (Table: r.GetString(0), Geometry: r.GetString(1), Srs: r.GetInt64(2)));
        if (layers.Count == 0)
        {
            return ([], "The GeoPackage holds no feature table (a layer with geometry).");
        }

        var chosen = layers.Count == 1 ? layers : [.. layers.Where(l => Zee.Key(l.Table) is "zones" or "zonas")];
        if (chosen.Count != 1)
        {
            return ([], $"The GeoPackage holds {layers.Count} layers ({string.Join(", ", layers.Select(l => TextRules.Echo(l.Table)))}): "
                + "keep the zones alone, or name their layer zonas.");
        }

        var layer = chosen[0];
        if (CrsFault(connection, layer.Srs) is { } crs)
        {
            return ([], crs);
        }

        var columns = Query(connection, "SELECT name, pk FROM pragma_table_info($table)", r => (Name: r.GetString(0), Key: r.GetInt64(1) > 0), ("$table", layer.Table));
        var attributes = columns.Where(c => !c.Key && c.Name != layer.Geometry).Select(c => c.Name).ToList();
        var select = $"SELECT {Quote(layer.Geometry)}{string.Concat(attributes.Select(a => ", " + Quote(a)))} FROM {Quote(layer.Table)} ORDER BY rowid";
        var reader = new GeoPackageGeoReader();
        var features = Query(connection, select, row =>
        {
            var properties = attributes.Select((name, i) => KeyValuePair.Create(name, Value(row, i + 1))).ToList();
            var (geometry, fault, drawn) = Geometry(reader, row);
            return new ZoneFeature(null, geometry, fault, properties, Drawn: drawn);
        });
        return (features, null);
    }

    private static (Geometry?, FieldViolation?, Geometry?) Geometry(GeoPackageGeoReader reader, SqliteDataReader row)
    {
        if (row.IsDBNull(0))
        {
            return (null, new FieldViolation("geometry", "The feature has no geometry."), null);
        }

        Geometry geometry;
        try
        {
            geometry = reader.Read((byte[])row.GetValue(0));
        }
        catch (Exception ex) when (ex is ArgumentException or ParseException or InvalidCastException or IOException or IndexOutOfRangeException
            or NotSupportedException or InvalidOperationException or OverflowException or FormatException)
        {
            return (null, new FieldViolation("geometry", $"The geometry cannot be read: {TextRules.Echo(ex.Message, 300)}"), null);
        }

        var copy = PolygonalGeometry.Factory.CreateGeometry(geometry);
        return PolygonalGeometry.Check(copy, "geometry") is { } fault ? (null, fault, copy) : (copy, null, null);
    }

    private static PropertyValue Value(SqliteDataReader row, int i) => row.IsDBNull(i) ? PropertyValue.Null : row.GetValue(i) switch
    {
        string text => PropertyValue.Of(text),
        long number => new PropertyValue(PropertyKind.Number, number.ToString(CultureInfo.InvariantCulture)),
        double number => new PropertyValue(PropertyKind.Number, number.ToString("R", CultureInfo.InvariantCulture)),
        byte[] bytes => PropertyValue.Of($"({bytes.Length} bytes of binary data)"),
        var other => PropertyValue.Of(Convert.ToString(other, CultureInfo.InvariantCulture)),
    };

    /// <summary>Why the layer's coordinate system is not WGS84 longitude/latitude, or null when it is.</summary>
    private static string? CrsFault(SqliteConnection connection, long srsId)
    {
        var srs = Query(connection, "SELECT organization, organization_coordsys_id, srs_name FROM gpkg_spatial_ref_sys WHERE srs_id = $id",
            r => (Organization: r.IsDBNull(0) ? "" : r.GetString(0), Code: r.GetInt64(1), Name: r.IsDBNull(2) ? "" : r.GetString(2)), ("$id", srsId));
        if (srs.Count == 1 && srs[0].Organization.Equals("EPSG", StringComparison.OrdinalIgnoreCase) && srs[0].Code == 4326)
        {
            return null;
        }

        var name = srs.Count == 1 ? $"{srs[0].Organization}:{srs[0].Code} ({srs[0].Name})" : $"srs_id {srsId}";
        return $"The layer's coordinate system is {TextRules.Echo(name, 80)}; zones are WGS84 longitude/latitude (EPSG:4326): save the layer in EPSG:4326.";
    }

    private static void CreateContainer(SqliteConnection connection, SqliteTransaction transaction) => Execute(connection, transaction, $"""
        PRAGMA application_id = {ApplicationId};
        PRAGMA user_version = 10300;
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
          organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
        INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326,
          'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]',
          'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
        INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
        INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
        CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '',
          last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
          srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
        CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
          srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
          CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
          CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
        """);

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        command.ExecuteNonQuery();
    }

    private static List<T> Query<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> map, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static T WithTemporaryFile<T>(Func<string, T> use)
    {
        var path = Path.Combine(Path.GetTempPath(), $"watershed-{Guid.NewGuid():N}.gpkg");
        try
        {
            return use(path);
        }
        finally
        {
            foreach (var leftover in new[] { path, path + "-journal", path + "-wal", path + "-shm" })
            {
                File.Delete(leftover);
            }
        }
    }
}
