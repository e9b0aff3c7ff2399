def test_article_renders(client, article):
    response = client.get(article.url)
    assert response.status_code == 200
    assert "A story about health" in response.text
