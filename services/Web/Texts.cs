namespace Watershed.Web;

/// <summary>The texts people read, in Resources/Texts.resx (Spanish), Texts.qu.resx (Quechua) and Texts.en.resx (English).</summary>
public sealed class Texts;
