#!/usr/bin/env python3
"""Writes Resources/Texts{,.qu,.en}.resx from tools/texts.tsv (key, es, qu, en): edit the table, then run this."""
import csv, html, os
here = os.path.dirname(os.path.abspath(__file__))
rows = list(csv.DictReader(open(os.path.join(here, 'texts.tsv'), encoding='utf-8'), delimiter='\t'))
head = '''<?xml version="1.0" encoding="utf-8"?>
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
'''
for lang, suffix in (('es', ''), ('qu', '.qu'), ('en', '.en')):
    body = ''.join(f'  <data name="{r["key"]}" xml:space="preserve"><value>{html.escape(r[lang], quote=False)}</value></data>\n' for r in rows)
    with open(os.path.join(here, '..', 'Resources', f'Texts{suffix}.resx'), 'w', encoding='utf-8') as f:
        f.write(head + body + '</root>\n')
